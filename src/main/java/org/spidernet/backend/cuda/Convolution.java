package org.spidernet.backend.cuda;


import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.ConvolutionOps;
import org.spidernet.backend.Tensor;

/**
 * Convolution's three passes (forward, backward data, backward filter), dense, grouped and
 * depthwise; the kernels choose among those from the extents array ({@link KernelLimits#convDims}).
 * A degenerate call (some extent zero) never reaches the kernels, which need every extent
 * positive: the forward output is all zeros and the gradients get nothing.
 */
final class Convolution implements ConvolutionOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    Convolution(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        String op = "conv2d";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ws = storage.tensor(w, op, "w");
        CudaTensor ys = storage.tensor(y, op, "y");
        ConvExtents e = ConvExtents.forward(op, x, w, y, g);
        int[] dims = KernelLimits.convDims(op, e);
        if (e.degenerate()) {
            stream.check(CudaNative.fill(stream.handle(), ys.pointer(), 0.0f, ys.size()), "snc_fill");
            return;
        }
        stream.check(CudaNative.conv2dForward(stream.handle(), dims, xs.pointer(), ws.pointer(), ys.pointer()),
                "snc_conv2d_forward");
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor ws = storage.tensor(w, op, "w");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        ConvExtents e = ConvExtents.backwardData(op, dy, w, dx, g);
        int[] dims = KernelLimits.convDims(op, e);
        if (e.degenerate()) {
            return;
        }
        stream.check(CudaNative.conv2dBackwardData(stream.handle(), dims, dys.pointer(), ws.pointer(), dxs.pointer()),
                "snc_conv2d_backward_data");
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dws = storage.tensor(dw, op, "dw");
        ConvExtents e = ConvExtents.backwardFilter(op, x, dy, dw, g);
        int[] dims = KernelLimits.convDims(op, e);
        if (e.degenerate()) {
            return;
        }
        stream.check(CudaNative.conv2dBackwardFilter(stream.handle(), dims, xs.pointer(), dys.pointer(),
                dws.pointer()), "snc_conv2d_backward_filter");
    }
}
