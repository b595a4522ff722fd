package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.spidernet.backend.Tensor;

/**
 * A float32 tensor of the {@link CpuBackend}: a C-ordered {@link INDArray} in native memory,
 * plus two views of the same memory made once at allocation: a rank-1 {@code flat} array for
 * ND4J's elementwise ops and BLAS (which then see every tensor as one vector), and a direct
 * {@link FloatBuffer} through which the Java kernels read and write without going through
 * INDArray accessors.
 *
 * <p>An empty tensor (a zero dimension) holds no INDArray; ops skip it.
 */
final class CpuTensor implements Tensor {
    private final Storage owner;
    private final int[] shape;
    private final int size;
    private INDArray array;
    private INDArray flat;
    private FloatBuffer buffer;
    private boolean closed;

    CpuTensor(Storage owner, int[] shape, int size) {
        this.owner = owner;
        this.shape = shape.clone();
        this.size = size;
        if (size > 0) {
            long[] dims = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = shape[i];
            }
            // Nd4j.create zero-fills, as allocate() promises
            array = Nd4j.create(DataType.FLOAT, dims, 'c');
            flat = array.reshape('c', new long[] {size});
            buffer = array.data().asNioFloat();
        } else {
            buffer = FloatBuffer.allocate(0);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public long size() {
        return size;
    }

    int intSize() {
        return size;
    }

    Storage owner() {
        return owner;
    }

    boolean isClosed() {
        return closed;
    }

    /** The array in its own shape; null for an empty tensor. */
    INDArray array() {
        return array;
    }

    /** A rank-1 view of {@link #array()}; null for an empty tensor. */
    INDArray flat() {
        return flat;
    }

    /** The native memory as a buffer; absolute get/put only, which are safe from several threads. */
    FloatBuffer buffer() {
        return buffer;
    }

    /** A fresh Java copy of the contents. */
    float[] floats() {
        float[] a = new float[size];
        buffer.get(0, a, 0, a.length);
        return a;
    }

    /** Frees the native memory and tells the owner; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed) {
            invalidate();
            owner.released(this);
        }
    }

    /** Frees the native memory without notifying the owner: used when the owner itself closes. */
    void invalidate() {
        if (closed) {
            return;
        }
        closed = true;
        buffer = null;
        flat = null;
        if (array != null) {
            array.close();
            array = null;
        }
    }

    @Override
    public String toString() {
        return "CpuTensor" + Arrays.toString(shape) + (closed ? " (closed)" : "");
    }
}
