package org.spidernet.backend.cuda;

/**
 * The gated mixed-op kernels of {@code cuda-kernels/gated_accumulate.cu}: the SPI's
 * {@code scaleAddPerSample} (forward accumulation of a gated op into its node, and the same call
 * for the backward pass) and {@code dotPerSample} (the gate gradient), plus the fused forms that
 * serve all ops of one node in one pass ({@link #edgeForward}, {@link #edgeBackward}). Tensors are
 * float32 {@code [samples, perSample]} buffers of one context.
 *
 * <p>The engine reaches the fused kernels through the backend's {@link GatedSums}, which keeps its
 * pointer tables in {@link GatedPointerTables} (so a captured step copies nothing to the device).
 * The static forms here work on bare device buffers and allocate their small pointer tables per
 * call, which is fine for tests and tools but not inside a captured step.
 */
final class GatedAccumulate {
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
        CudaNative.check(CudaNative.scaleAddPerSample(context.handle(), x.pointer(), scale.pointer(), 1.0f,
                y.pointer(), samples, perSample), "snc_scale_add_per_sample");
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

    /**
     * Fused forward of one edge: y[n, :] += sum over j of scale[j * samples + n] * x[j][n, :], in
     * the order of {@code x} (bit-identical to one {@link #scaleAddPerSample} per op in that order).
     * {@code scale} is a float32 device buffer of {@code x.length * samples} values.
     */
    static void edgeForward(CudaContext context, DeviceBuffer[] x, DeviceBuffer scale, DeviceBuffer y, int samples,
                            long perSample) {
        checkSamples(samples, perSample);
        int ops = checkOps(x.length);
        long tensorBytes = Math.multiplyExact(Math.multiplyExact((long) samples, perSample), Float.BYTES);
        y.requireArgument(context, tensorBytes, "y");
        scale.requireArgument(context, (long) ops * samples * Float.BYTES, "scale");
        long[] addresses = new long[ops];
        for (int j = 0; j < ops; j++) {
            x[j].requireArgument(context, tensorBytes, "x[" + j + "]");
            addresses[j] = x[j].pointer();
        }
        try (DeviceBuffer table = context.allocate((long) Math.max(ops, 1) * Long.BYTES)) {
            CudaNative.check(CudaNative.copyPointersToDevice(context.handle(), table.pointer(), addresses, ops),
                    "snc_copy_pointers_to_device");
            CudaNative.check(CudaNative.gatedSumForward(context.handle(), table.pointer(), scale.pointer(), y.pointer(),
                    ops, samples, perSample), "snc_gated_sum_forward");
        }
    }

    /**
     * Fused backward of one edge, reading {@code dy} once: dx[j][n, :] += scale[j * samples + n] * dy[n, :]
     * for every j whose {@code dx[j]} is not null (a closed op gets no gradient), and returns
     * dots[j * samples + n] = sum over i of dy[n, i] * x[j][n, i] in float64, the per-sample gate
     * gradients before drop-path factors; waits for the result.
     */
    static double[] edgeBackward(CudaContext context, DeviceBuffer dy, DeviceBuffer[] x, DeviceBuffer scale,
                                 DeviceBuffer[] dx, int samples, long perSample) {
        checkSamples(samples, perSample);
        int ops = checkOps(x.length);
        if (dx.length != ops) {
            throw new IllegalArgumentException("edgeBackward: " + ops + " op outputs but " + dx.length + " gradients");
        }
        long tensorBytes = Math.multiplyExact(Math.multiplyExact((long) samples, perSample), Float.BYTES);
        dy.requireArgument(context, tensorBytes, "dy");
        scale.requireArgument(context, (long) ops * samples * Float.BYTES, "scale");
        long[] addresses = new long[2 * ops];
        for (int j = 0; j < ops; j++) {
            x[j].requireArgument(context, tensorBytes, "x[" + j + "]");
            addresses[j] = x[j].pointer();
            if (dx[j] != null) {
                dx[j].requireArgument(context, tensorBytes, "dx[" + j + "]");
                addresses[ops + j] = dx[j].pointer();
            }
        }
        long workspaceBytes = CudaNative.gatedSumBackwardWorkspaceBytes(ops, samples, perSample);
        try (DeviceBuffer table = context.allocate((long) Math.max(2 * ops, 1) * Long.BYTES);
             DeviceBuffer workspace = context.allocate(workspaceBytes);
             DeviceBuffer dots = context.allocate((long) ops * samples * Double.BYTES)) {
            CudaNative.check(CudaNative.copyPointersToDevice(context.handle(), table.pointer(), addresses, 2L * ops),
                    "snc_copy_pointers_to_device");
            CudaNative.check(CudaNative.gatedSumBackward(context.handle(), dy.pointer(), table.pointer(),
                    scale.pointer(), table.pointer() + (long) ops * Long.BYTES, ops, samples, perSample,
                    workspace.pointer(), workspaceBytes, dots.pointer()), "snc_gated_sum_backward");
            return dots.downloadDoubles();
        }
    }

    /**
     * The fold of the fused backward's per-sample dots into the gate gradients, all ops of a call in
     * one launch: {@code gateGrads[gates[j]] += sum over n of ((double) multipliers[j] *
     * (double) factors[rows[j] * samples + n]) * dots[j * samples + n]} for j = 0 .. ops - 1 in
     * order, each op's total added in float64 and rounded once, exactly as {@code snc_gate_gradient}
     * folds one gate (its {@code gate_gradient_finish_kernel}), so the result is bit-identical to
     * one {@code gateGradient} per op. {@code dots}, {@code factors} and {@code gateGrads} are
     * device addresses; {@code rows}, {@code multipliers} and {@code gates} are host arrays of
     * {@code ops} values copied into the launch (so the launch can be captured). Returns the C
     * status.
     */
    @FunctionalInterface
    interface GateGradientFold {
        int fold(long context, long dots, long factors, int samples, int[] rows, float[] multipliers, int[] gates,
                 int ops, long gateGrads);
    }

    /**
     * The native fold, {@code CudaNative::gateGradientFold}, bound to
     * <pre>
     * SNC_API int snc_gate_gradient_fold(snc_context* context, const double* dots, const float* factors,
     *                                    int samples, const int32_t* host_rows, const float* host_multipliers,
     *                                    const int32_t* host_gates, int ops, float* gate_grads);
     * </pre>
     * (SNC_ERR_ARGUMENT for a null pointer, samples &lt; 0, ops outside [0, SNC_MAX_GATED_OPS] or a
     * negative row or gate; ops == 0 or samples == 0 launch nothing; one warp runs the ops one after
     * another with {@code gate_gradient_finish_kernel}'s code, so two ops of one gate add in order).
     * {@link GatedSums#gatedSumBackward} uses it unless a test swaps it out
     * ({@code useGateGradientFold}; null there: one {@code snc_gate_gradient} per gate, which
     * computes the same dot a second time).
     */
    static final GateGradientFold NATIVE_FOLD = CudaNative::gateGradientFold;

    private static int checkOps(int ops) {
        if (ops < 0 || ops > CudaNative.MAX_GATED_OPS) {
            throw new IllegalArgumentException("fused gated sums take 0 to " + CudaNative.MAX_GATED_OPS + " ops, got " + ops);
        }
        return ops;
    }

    private static void checkSamples(int samples, long perSample) {
        if (samples < 0 || samples > KernelLimits.MAX_SAMPLES || perSample < 0) {
            throw new IllegalArgumentException("per-sample kernels need 0 <= samples <= " + KernelLimits.MAX_SAMPLES
                    + " and perSample >= 0, got samples=" + samples + " perSample=" + perSample);
        }
    }
}
