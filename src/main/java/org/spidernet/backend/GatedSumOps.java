package org.spidernet.backend;

import java.util.List;

/**
 * A node's gated sum of its ops' outputs and the gates' straight-through gradients, per op or for
 * all of a node's ops in one call, on per-step factors held in tensors.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface GatedSumOps {

    /**
     * gateGrads[gate] += sum over samples n of f[n] * (sum over the rest of dy[n,...] * x[n,...]),
     * with the per-sample factor {@code f[n] = scale * factors[gate, n]} formed in float64: one
     * gate's straight-through gradient with its drop-path factors, accumulated where the data
     * lives, so a backward pass never waits for the host ({@code gateGrads}, 1-D, is read once per
     * step). {@code factors} is [G, N] (N = dy's outer dimension), uploaded before the step.
     * Products and sums are formed in float64; the total is rounded once to the backend's element
     * type when it is added.
     *
     * <p>Why a separate {@code scale}: the engine keeps the drop-path mask (0 or 1) in
     * {@code factors} and passes {@code 1 / keep} here, because a float32 tensor cannot hold
     * {@code 1 / keep} exactly and the float64 sum would change with its rounding.
     */
    void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate);

    /**
     * For each sample n of the outer dimension: y[n,...] += f[n] * x[n,...] with
     * {@code f[n] = scale * factors[row, n]} formed in float64 (then rounded once to the
     * backend's element type). This is the gated op output accumulated into its node, with
     * drop-path folded into the per-sample factor ({@code mask[n] / keep}); backward uses the same
     * call with the upstream gradient. {@code factors} is [rows, N], a device tensor uploaded
     * before the step, so the op reads no host data (see {@link #gateGradient} for why
     * {@code scale} is separate).
     */
    void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y);

    /**
     * A node's gated sum over its ops in one call: for j = 0, 1, ... in list order,
     * {@code y[n,...] += f_j[n] * xs[j][n,...]} with {@code f_j[n] = scales[j] * factors[rows[j], n]},
     * exactly {@link #scaleAddPerSample}{@code (xs[j], factors, rows[j], scales[j], y)} op after op
     * (bit for bit: a float32 backend rounds after each op's product and sum as that loop does).
     * A device backend reads y once and writes it once for all ops instead of once per op.
     *
     * <p>Every x has y's shape; {@code xs}, {@code rows} and {@code scales} have one entry per op
     * (empty lists are a no-op); y must not be one of the xs or the
     * factors (an {@link IllegalArgumentException} names them, see {@link GatedSumArgs}). The same
     * x may appear twice. This default checks, then loops over {@link #scaleAddPerSample}.
     */
    default void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        int n = GatedSumArgs.checkForward("gatedSum", xs, factors, rows, scales, y);
        for (int j = 0; j < n; j++) {
            scaleAddPerSample(xs.get(j), factors, rows[j], scales[j], y);
        }
    }

    /**
     * The backward of {@link #gatedSum} in one call, reading dy once on a device backend: for
     * j = 0, 1, ... in list order, with {@code gate = gates[j]} (the op's row of {@code factors}
     * and its element of {@code gateGrads}),
     * <pre>
     *   gateGradient(dy, xs[j], factors, scales[j], gateGrads, gate)          the gate's gradient, every op
     *   scaleAddPerSample(dy, factors, gate, scales[j], dxs[j])                only where dxs[j] is not null
     * </pre>
     * bit for bit: {@code gateGrads[gate] += sum_n f_j[n] * <dy[n], xs[j][n]>} in float64, rounded
     * once per op, and {@code dxs[j] += f_j[n] * dy[n]}, {@code f_j[n] = scales[j] * factors[gate, n]}.
     * A null {@code dxs[j]} is an op that gets no gradient (a closed gate's op still gets its gate's
     * straight-through gradient).
     *
     * <p>Every x and every dx has dy's shape; the four lists/arrays have one entry per op; no dx may
     * be dy, any x, another dx, the factors or {@code gateGrads}, and {@code gateGrads} may be none
     * of dy, the xs and the factors (an {@link IllegalArgumentException} names them, see
     * {@link GatedSumArgs}). This default checks, then loops over the two per-op calls.
     */
    default void gatedSumBackward(Tensor dy, List<Tensor> xs, Tensor factors, int[] gates, double[] scales,
                                  List<Tensor> dxs, Tensor gateGrads) {
        int n = GatedSumArgs.checkBackward("gatedSumBackward", dy, xs, factors, gates, scales, dxs, gateGrads);
        for (int j = 0; j < n; j++) {
            gateGradient(dy, xs.get(j), factors, scales[j], gateGrads, gates[j]);
            Tensor dx = dxs.get(j);
            if (dx != null) {
                scaleAddPerSample(dy, factors, gates[j], scales[j], dx);
            }
        }
    }
}
