package org.spidernet.backend.cuda;

/**
 * The gated mixed-op kernels of {@code cuda-kernels/gated_accumulate.cu}: the SPI's
 * {@code scaleAddPerSample} (forward accumulation of a gated op into its node, and the same call
 * for the backward pass) and {@code dotPerSample} (the gate gradient). Tensors are float32
 * {@code [samples, perSample]} buffers of one context.
 */
final class GatedAccumulate {
    /** gridDim.y limit: the kernels put samples on the grid's y axis. */
    static final int MAX_SAMPLES = 65535;

    private GatedAccumulate() {
    }

    /** y[n, :] += scale[n] * x[n, :]; {@code scale} is a float32 device buffer of {@code samples} values. */
    static void scaleAddPerSample(CudaContext context, DeviceBuffer x, DeviceBuffer scale, DeviceBuffer y,
                                  int samples, long perSample) {
        checkSamples(samples, perSample);
        long tensorBytes = Math.multiplyExact(Math.multiplyExact((long) samples, perSample), Float.BYTES);
        x.requireArgument(context, tensorBytes, "x");
        y.requireArgument(context, tensorBytes, "y");
        scale.requireArgument(context, (long) samples * Float.BYTES, "scale");
        CudaNative.check(CudaNative.scaleAddPerSample(context.handle(), x.pointer(), scale.pointer(), y.pointer(),
                samples, perSample), "snc_scale_add_per_sample");
    }

    /** For each sample n: sum over i of a[n, i] * b[n, i], accumulated in float64; waits for the result. */
    static double[] dotPerSample(CudaContext context, DeviceBuffer a, DeviceBuffer b, int samples, long perSample) {
        checkSamples(samples, perSample);
        long tensorBytes = Math.multiplyExact(Math.multiplyExact((long) samples, perSample), Float.BYTES);
        a.requireArgument(context, tensorBytes, "a");
        b.requireArgument(context, tensorBytes, "b");
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        try (DeviceBuffer workspace = context.allocate(workspaceBytes);
             DeviceBuffer out = context.allocate((long) samples * Double.BYTES)) {
            CudaNative.check(CudaNative.dotPerSample(context.handle(), a.pointer(), b.pointer(), samples, perSample,
                    workspace.pointer(), workspaceBytes, out.pointer()), "snc_dot_per_sample");
            return out.downloadDoubles();
        }
    }

    private static void checkSamples(int samples, long perSample) {
        if (samples < 0 || samples > MAX_SAMPLES || perSample < 0) {
            throw new IllegalArgumentException("per-sample kernels need 0 <= samples <= " + MAX_SAMPLES
                    + " and perSample >= 0, got samples=" + samples + " perSample=" + perSample);
        }
    }
}
