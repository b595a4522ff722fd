package org.spidernet.backend.cuda;

/**
 * The gated mixed-op kernels of {@code cuda-kernels/gated_accumulate.cu}: the SPI's
 * {@code scaleAddPerSample} (forward accumulation of a gated op into its node, and the same call
 * for the backward pass) and {@code dotPerSample} (the gate gradient), plus the fused forms that
 * serve all ops of one node in one pass ({@link #edgeForward}, {@link #edgeBackward}). Tensors are
 * float32 {@code [samples, perSample]} buffers of one context.
 *
 * <p>The engine reaches the fused kernels through {@link CudaBackend#gatedSum} and
 * {@link CudaBackend#gatedSumBackward}, which keep their pointer tables in {@link PointerTables}
 * (so a captured step copies nothing to the device). The static forms here allocate their small
 * pointer tables per call, which is fine for tests and tools but not inside a captured step.
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
     * {@link CudaBackend#gatedSumBackward} uses it unless a test swaps it out
     * ({@code useGateGradientFold}; null there: one {@code snc_gate_gradient} per gate, which
     * computes the same dot a second time).
     */
    static final GateGradientFold NATIVE_FOLD = CudaNative::gateGradientFold;

    /**
     * Device copies of the fused kernels' pointer tables (the addresses of a call's x and dx
     * tensors), kept between calls so that a training step, which passes the same tensors every
     * time, copies nothing to the device in the steady state, and a captured step's kernels point at
     * tables that stay put. A copy to the device waits for the stream, which a captured step may
     * not do: a table missing while recording is an {@link IllegalStateException} (the eager run
     * before a recording creates them).
     *
     * <p>The key is the table's content (every address), so a cached table is reused only when it
     * is exactly what would be uploaded: it cannot go stale, whatever was freed and allocated since.
     * At most {@link #LIMIT} tables are kept; at the limit every table is freed (stream-ordered)
     * and {@link #generation()} changes, which makes captured steps record again.
     * {@link #makeRoom()}, called before a step is recorded, empties a cache that is more than half
     * full, so the step's own tables (fewer than half the limit) are never evicted between its
     * eager run and its recording.
     */
    static final class PointerTables implements AutoCloseable {
        static final int LIMIT = 1024;

        private record Key(long[] addresses, int hash) {
            Key(long[] addresses) {
                this(addresses, java.util.Arrays.hashCode(addresses));
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Key k && k.hash == hash && java.util.Arrays.equals(k.addresses, addresses);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }

        private final CudaContext context;
        private final java.util.Map<Key, DeviceBuffer> tables = new java.util.HashMap<>();
        private long uploads;
        private long generation;
        private long bytes;

        PointerTables(CudaContext context) {
            this.context = context;
        }

        /**
         * The device address of a table holding {@code addresses}, uploading it on first use
         * (refused with {@code op} named while {@code recording}).
         */
        long pointer(long[] addresses, boolean recording, String op) {
            Key key = new Key(addresses.clone());
            DeviceBuffer table = tables.get(key);
            if (table != null) {
                return table.pointer();
            }
            if (recording) {
                throw new IllegalStateException(op + ": a new pointer table would be copied to the device inside a "
                        + "captured step; run the step once before recording it");
            }
            if (tables.size() >= LIMIT) {
                clear();
            }
            long tableBytes = (long) Math.max(addresses.length, 1) * Long.BYTES;
            table = context.allocate(tableBytes);
            try {
                CudaNative.check(CudaNative.copyPointersToDevice(context.handle(), table.pointer(), addresses,
                        addresses.length), "snc_copy_pointers_to_device (gated-sum table)");
            } catch (RuntimeException e) {
                table.close();
                throw e;
            }
            tables.put(key, table);
            bytes += tableBytes;
            uploads++;
            return table.pointer();
        }

        /** Empties the cache when it is more than half full (see the class comment). */
        void makeRoom() {
            if (tables.size() > LIMIT / 2) {
                clear();
            }
        }

        private void clear() {
            RuntimeException first = null;
            for (DeviceBuffer b : tables.values()) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            tables.clear();
            bytes = 0;
            generation++;
            if (first != null) {
                throw first;
            }
        }

        /** Tables copied to the device so far (tests: a repeated step adds none). */
        long uploads() {
            return uploads;
        }

        /** Changes whenever tables were freed: a graph recorded before must be recorded again. */
        long generation() {
            return generation;
        }

        /** Bytes of the tables held (before the pool's rounding). */
        long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            clear();
        }
    }

    private static int checkOps(int ops) {
        if (ops < 0 || ops > CudaNative.MAX_GATED_OPS) {
            throw new IllegalArgumentException("fused gated sums take 0 to " + CudaNative.MAX_GATED_OPS + " ops, got " + ops);
        }
        return ops;
    }

    private static void checkSamples(int samples, long perSample) {
        if (samples < 0 || samples > MAX_SAMPLES || perSample < 0) {
            throw new IllegalArgumentException("per-sample kernels need 0 <= samples <= " + MAX_SAMPLES
                    + " and perSample >= 0, got samples=" + samples + " perSample=" + perSample);
        }
    }
}
