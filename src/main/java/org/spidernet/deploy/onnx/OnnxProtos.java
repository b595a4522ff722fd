package org.spidernet.deploy.onnx;

import com.google.protobuf.ByteString;
import org.spidernet.deploy.onnx.proto.AttributeProto;
import org.spidernet.deploy.onnx.proto.TensorProto;
import org.spidernet.deploy.onnx.proto.TensorShapeProto;
import org.spidernet.deploy.onnx.proto.TypeProto;
import org.spidernet.deploy.onnx.proto.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small builders for the ONNX messages the exporter repeats: tensors, attributes, typed values. */
final class OnnxProtos {
    private OnnxProtos() {
    }

    /** A float32 tensor; raw_data holds the values little-endian, as ONNX requires. */
    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(longs(dims)).setRawData(ByteString.copyFrom(b)).build();
    }

    /** A 1-D int64 tensor (the shape-like inputs of Slice, Pad and ConstantOfShape). */
    static TensorProto int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        b.flip();
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(b)).build();
    }

    static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(longs(values)).build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto tensor(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    /**
     * A float32 tensor value of the graph's interface: {@code symbolic} names the first extent
     * (the batch), the others are fixed.
     */
    static ValueInfoProto floatValue(String name, String symbolic, long... fixed) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(symbolic));
        for (long d : fixed) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static java.util.List<Long> longs(long[] values) {
        java.util.List<Long> list = new java.util.ArrayList<>(values.length);
        for (long v : values) {
            list.add(v);
        }
        return list;
    }
}
