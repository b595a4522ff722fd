package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.samplesOfPair;

import java.util.Arrays;
import java.util.List;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.GatedSumArgs;
import org.spidernet.backend.GatedSumOps;
import org.spidernet.backend.Tensor;

/**
 * A node's gated sum of its ops' outputs and the gates' gradients, on the kernels of
 * {@code gated_accumulate.cu}: per op ({@link #scaleAddPerSample}, {@link #gateGradient}) or
 * fused, one forward launch and one backward launch per up to {@link CudaNative#MAX_GATED_OPS}
 * ops ({@link #gatedSum}, {@link #gatedSumBackward}), bit-identical to the per-op kernels. The
 * per-step data (gate factors, drop-path masks) is read from device tensors and the gradients stay
 * there, so none of these waits for the host and a step using them can be captured.
 */
final class GatedSums implements GatedSumOps {
    private final DeviceStream stream;
    private final TensorStorage storage;
    /** Device pointer tables of the fused gated sums, kept between calls. */
    private final GatedPointerTables tables;
    /** Folds the fused backward's dots into the gate gradients; null: one snc_gate_gradient per op. */
    private GatedAccumulate.GateGradientFold gateGradientFold = GatedAccumulate.NATIVE_FOLD;
    /** Launches issued from Java (a recorded step's replays not counted), for tests. */
    private long forwardLaunches;
    private long backwardLaunches;
    private long scaleAddPerSampleLaunches;
    private long gateGradientLaunches;

    GatedSums(DeviceStream stream, TensorStorage storage, GatedPointerTables tables) {
        this.stream = stream;
        this.storage = storage;
        this.tables = tables;
    }

    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        String op = "gateGradient";
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor fs = storage.tensor(factors, op, "factors");
        CudaTensor gs = storage.tensor(gateGrads, op, "gateGrads");
        samplesOfPair(op, "dy", dys.shape(), "x", xs.shape());
        GateGradientArgs.check(op, dy, factors, gateGrads, gate);
        int samples = KernelLimits.samples(op, "dy", dys.shape());
        if (samples == 0) {
            return;
        }
        long perSample = dys.size() / samples;
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        long base = stream.workspace(op, workspaceBytes + (long) samples * Double.BYTES);
        gateGradient(dys, xs, fs, scale, gs, gate, samples, perSample, base);
    }

    /**
     * One gate's gradient on the device with workspace at {@code base} (the dot kernels' partials,
     * then {@code samples} doubles of dots). Empty samples (perSample 0) pass their tensors' real
     * addresses (every tensor has one, see {@code snc_alloc}): the dots are 0 and the gate gets 0 added.
     */
    private void gateGradient(CudaTensor dy, CudaTensor x, CudaTensor factors, double scale, CudaTensor gateGrads,
                              int gate, int samples, long perSample, long base) {
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        long row = factors.pointer() + (long) gate * samples * Float.BYTES;
        // no wait: the factors are a row of a device tensor, the total stays on the device
        stream.check(CudaNative.gateGradient(stream.handle(), dy.pointer(), x.pointer(), samples, perSample, base,
                workspaceBytes, base + workspaceBytes, row, (float) scale, gateGrads.pointer(), gate),
                "snc_gate_gradient");
        gateGradientLaunches++;
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        String op = "scaleAddPerSample";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        CudaTensor fs = storage.tensor(factors, op, "factors");
        sameShape(op, "x", xs.shape(), "y", ys.shape());
        GateGradientArgs.checkFactors(op, factors, row, ys.shape());
        int samples = KernelLimits.samples(op, "y", ys.shape());
        if (samples == 0 || ys.size() == 0) {
            return;
        }
        // the factors are read on the device: nothing from the host rides in the launch but the scale
        long factorRow = fs.pointer() + (long) row * samples * Float.BYTES;
        stream.check(CudaNative.scaleAddPerSample(stream.handle(), xs.pointer(), factorRow, (float) scale, ys.pointer(),
                samples, ys.size() / samples), "snc_scale_add_per_sample");
        scaleAddPerSampleLaunches++;
    }

    /**
     * One {@code snc_gated_sum_forward} launch per {@link CudaNative#MAX_GATED_OPS} ops: y is read
     * and written once for all of them, each element's float32 FMAs in op order, the same bits as
     * one {@link #scaleAddPerSample} per op. The x addresses reach the kernel in a cached device
     * table ({@link GatedPointerTables}); the per-op factors in a [ops, samples] table
     * (see {@link #factorTable}).
     */
    @Override
    public void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        String op = "gatedSum";
        int ops = GatedSumArgs.checkForward(op, xs, factors, rows, scales, y);
        CudaTensor ys = storage.tensor(y, op, "y");
        CudaTensor fs = storage.tensor(factors, op, "factors");
        CudaTensor[] x = new CudaTensor[ops];
        for (int j = 0; j < ops; j++) {
            x[j] = storage.tensor(xs.get(j), op, "xs[" + j + "]");
        }
        int samples = KernelLimits.samples(op, "y", ys.shape());
        if (ops == 0 || samples == 0 || ys.size() == 0) {
            return;
        }
        long perSample = ys.size() / samples;
        for (int from = 0; from < ops; from += CudaNative.MAX_GATED_OPS) {
            int count = Math.min(CudaNative.MAX_GATED_OPS, ops - from);
            long[] addresses = new long[count];
            for (int j = 0; j < count; j++) {
                addresses[j] = x[from + j].pointer();
            }
            long table = tables.pointer(addresses, stream.capturing(), op);
            long scratch = factorsDirect(rows, scales, from, count) ? 0L
                    : stream.workspace(op, (long) count * samples * Float.BYTES);
            long scale = factorTable(fs, rows, scales, from, count, samples, scratch);
            stream.check(CudaNative.gatedSumForward(stream.handle(), table, scale, ys.pointer(), count, samples,
                    perSample), "snc_gated_sum_forward");
            forwardLaunches++;
        }
    }

    /**
     * One {@code snc_gated_sum_backward} launch per {@link CudaNative#MAX_GATED_OPS} ops, reading dy
     * once: every op with a gradient gets {@code dx += f * dy} (float32 FMAs, the same bits as
     * {@link #scaleAddPerSample}), every op its per-sample dot in float64 (the same bits as the dot
     * kernels of {@link #gateGradient}, same blocks and order). The dots are folded into the gate
     * gradients by the native fold in one launch ({@link GatedAccumulate#NATIVE_FOLD}); while the C
     * API lacks it, each gate is folded by {@code snc_gate_gradient}, which forms its dot again.
     */
    @Override
    public void gatedSumBackward(Tensor dy, List<Tensor> xs, Tensor factors, int[] gates, double[] scales,
                                 List<Tensor> dxs, Tensor gateGrads) {
        String op = "gatedSumBackward";
        int ops = GatedSumArgs.checkBackward(op, dy, xs, factors, gates, scales, dxs, gateGrads);
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor fs = storage.tensor(factors, op, "factors");
        CudaTensor gs = storage.tensor(gateGrads, op, "gateGrads");
        CudaTensor[] x = new CudaTensor[ops];
        CudaTensor[] dx = new CudaTensor[ops];
        for (int j = 0; j < ops; j++) {
            x[j] = storage.tensor(xs.get(j), op, "xs[" + j + "]");
            dx[j] = dxs.get(j) == null ? null : storage.tensor(dxs.get(j), op, "dxs[" + j + "]");
        }
        int samples = KernelLimits.samples(op, "dy", dys.shape());
        if (ops == 0 || samples == 0) {
            return;
        }
        long perSample = dys.size() / samples;
        GatedAccumulate.GateGradientFold fold = gateGradientFold;
        for (int from = 0; from < ops; from += CudaNative.MAX_GATED_OPS) {
            int count = Math.min(CudaNative.MAX_GATED_OPS, ops - from);
            long[] addresses = new long[2 * count];  // the x table, then the dx table (0: no gradient)
            for (int j = 0; j < count; j++) {
                addresses[j] = x[from + j].pointer();
                addresses[count + j] = dx[from + j] == null ? 0L : dx[from + j].pointer();
            }
            long table = tables.pointer(addresses, stream.capturing(), op);
            // scratch: the kernel's partials, the dots [count, samples] (float64, aligned after whole
            // doubles), then the factors table; the per-gate fold reuses it from the start afterwards
            long partialBytes = CudaNative.gatedSumBackwardWorkspaceBytes(count, samples, perSample);
            long dotsBytes = (long) count * samples * Double.BYTES;
            boolean direct = factorsDirect(gates, scales, from, count);
            long factorBytes = direct ? 0L : (long) count * samples * Float.BYTES;
            long foldBytes = fold != null ? 0L
                    : CudaNative.dotPerSampleWorkspaceBytes(samples, perSample) + (long) samples * Double.BYTES;
            long base = stream.workspace(op, Math.max(partialBytes + dotsBytes + factorBytes, foldBytes));
            long dots = base + partialBytes;
            long scale = factorTable(fs, gates, scales, from, count, samples, direct ? 0L : dots + dotsBytes);
            stream.check(CudaNative.gatedSumBackward(stream.handle(), dys.pointer(), table, scale,
                    table + (long) count * Long.BYTES, count, samples, perSample, base, partialBytes, dots),
                    "snc_gated_sum_backward");
            backwardLaunches++;
            if (fold != null) {
                int[] rows = Arrays.copyOfRange(gates, from, from + count);
                float[] multipliers = new float[count];
                for (int j = 0; j < count; j++) {
                    multipliers[j] = (float) scales[from + j];
                }
                stream.check(fold.fold(stream.handle(), dots, fs.pointer(), samples, rows, multipliers, rows, count,
                        gs.pointer()), "snc_gate_gradient_fold");
            } else {
                for (int j = from; j < from + count; j++) {
                    gateGradient(dys, x[j], fs, scales[j], gs, gates[j], samples, perSample, base);
                }
            }
        }
    }

    /**
     * True when ops {@code from .. from + count - 1} read consecutive rows of the factors with a
     * float32 scale of exactly 1 (drop-path off, every op of a node open): the kernel's [ops,
     * samples] factor table is then a slice of {@code factors} itself.
     */
    private static boolean factorsDirect(int[] rows, double[] scales, int from, int count) {
        for (int j = 0; j < count; j++) {
            if ((float) scales[from + j] != 1.0f || rows[from + j] != rows[from] + j) {
                return false;
            }
        }
        return true;
    }

    /**
     * The device address of the fused kernels' [count, samples] float32 factor table for ops
     * {@code from ..}: {@code f[j, n] = (float) scales[from + j] * factors[rows[from + j], n]}, the
     * float32 product {@code snc_scale_add_per_sample} forms from its multiplier and factor row, so
     * the fused result is the per-op result bit for bit. Either a slice of {@code factors}
     * ({@link #factorsDirect}) or built at {@code scratch} on the stream: filled with -0.0
     * (so that {@code fmaf(s, f, -0.0)} is exactly the product {@code s * f}, zeros' signs
     * included), then one {@code snc_axpy} per op.
     */
    private long factorTable(CudaTensor factors, int[] rows, double[] scales, int from, int count, int samples,
                             long scratch) {
        if (factorsDirect(rows, scales, from, count)) {
            return factors.pointer() + (long) rows[from] * samples * Float.BYTES;
        }
        stream.check(CudaNative.fill(stream.handle(), scratch, -0.0f, (long) count * samples),
                "snc_fill (gated-sum factors)");
        for (int j = 0; j < count; j++) {
            long row = factors.pointer() + (long) rows[from + j] * samples * Float.BYTES;
            stream.check(CudaNative.axpy(stream.handle(), (float) scales[from + j], row,
                    scratch + (long) j * samples * Float.BYTES, samples), "snc_axpy (gated-sum factors)");
        }
        return scratch;
    }

    /** Replaces the gate-gradient fold of {@link #gatedSumBackward} (tests; null: one snc_gate_gradient per gate). */
    void useGateGradientFold(GatedAccumulate.GateGradientFold fold) {
        this.gateGradientFold = fold;
    }

    /** {@code snc_gated_sum_forward} launches queued from Java so far (a replayed graph's not counted). */
    long forwardLaunches() {
        return forwardLaunches;
    }

    /** {@code snc_gated_sum_backward} launches queued from Java so far. */
    long backwardLaunches() {
        return backwardLaunches;
    }

    /** {@code snc_scale_add_per_sample} launches queued from Java so far. */
    long scaleAddPerSampleLaunches() {
        return scaleAddPerSampleLaunches;
    }

    /** {@code snc_gate_gradient} launches queued from Java so far. */
    long gateGradientLaunches() {
        return gateGradientLaunches;
    }

    /** Pointer tables copied to the device so far (a repeated step adds none). */
    long tableUploads() {
        return tables.uploads();
    }
}
