package org.spidernet.backend.cuda;

/** ReLU forward and backward ({@code cuda-kernels/relu.cu}) over float32 buffers of {@code count} elements. */
final class Relu {
    private Relu() {
    }

    /** y = max(x, 0); NaN stays NaN. {@code y} may be {@code x}. */
    static void forward(CudaContext context, DeviceBuffer x, DeviceBuffer y, long count) {
        long bytes = checkedBytes(count);
        x.requireArgument(context, bytes, "x");
        y.requireArgument(context, bytes, "y");
        CudaNative.check(CudaNative.reluForward(context.handle(), x.pointer(), y.pointer(), count), "snc_relu_forward");
    }

    /** dx += dy where the forward input x was positive. */
    static void backward(CudaContext context, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long count) {
        long bytes = checkedBytes(count);
        x.requireArgument(context, bytes, "x");
        dy.requireArgument(context, bytes, "dy");
        dx.requireArgument(context, bytes, "dx");
        CudaNative.check(CudaNative.reluBackward(context.handle(), x.pointer(), dy.pointer(), dx.pointer(), count),
                "snc_relu_backward");
    }

    private static long checkedBytes(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative element count " + count);
        }
        return Math.multiplyExact(count, Float.BYTES);
    }
}
