package org.spidernet.backend;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The argument rules of the fused gated-sum ops ({@link Backend#gatedSum},
 * {@link Backend#gatedSumBackward}), shared by every backend so that all of them refuse the same
 * calls with the same messages, before anything is written.
 *
 * <p>Besides shapes, the rules forbid aliasing that the per-op calls would tolerate: a fused
 * kernel reads all of its inputs while it writes its outputs (the CUDA kernels declare them
 * {@code __restrict__}), so a written tensor must not be one that is read, nor another written
 * one. Tensors of the SPI never share storage unless they are the same tensor, so "overlap" is
 * identity here.
 */
public final class GatedSumArgs {
    private GatedSumArgs() {
    }

    /**
     * Checks a {@link Backend#gatedSum} call and returns its number of ops: {@code xs},
     * {@code rows} and {@code scales} of one length, every x of y's shape, every row a row of
     * {@code factors} [rows, N], and y neither one of the xs nor the factors.
     *
     * @throws IllegalArgumentException naming the op, the entry and the shapes
     */
    public static int checkForward(String op, List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        Objects.requireNonNull(y, () -> op + ": y is null");
        Objects.requireNonNull(factors, () -> op + ": factors is null");
        int n = lengths(op, xs, "rows", rows, scales, null);
        for (int j = 0; j < n; j++) {
            Tensor x = entry(op, "xs", xs, j);
            sameShape(op, "xs[" + j + "]", x, "y", y);
            GateGradientArgs.checkFactors(op, factors, rows[j], y.shape());
            if (x == y) {
                throw aliased(op, "y", y, "xs[" + j + "]", "the fused sum reads every x while it writes y");
            }
        }
        if (factors == y) {
            throw aliased(op, "y", y, "factors", "the fused sum reads the factors while it writes y");
        }
        return n;
    }

    /**
     * Checks a {@link Backend#gatedSumBackward} call and returns its number of ops: {@code xs},
     * {@code gates}, {@code scales} and {@code dxs} of one length, every x and every non-null dx of
     * dy's shape, every gate a row of {@code factors} [G, N] and an element of 1-D
     * {@code gateGrads}; no dx is dy, an x (its own or another op's), another dx, the factors or
     * the gate gradients; {@code gateGrads} is none of dy, the xs and the factors.
     *
     * @throws IllegalArgumentException naming the op, the entries and the shapes
     */
    public static int checkBackward(String op, Tensor dy, List<Tensor> xs, Tensor factors, int[] gates,
                                    double[] scales, List<Tensor> dxs, Tensor gateGrads) {
        Objects.requireNonNull(dy, () -> op + ": dy is null");
        Objects.requireNonNull(gateGrads, () -> op + ": gateGrads is null");
        Objects.requireNonNull(factors, () -> op + ": factors is null");
        int n = lengths(op, xs, "gates", gates, scales, dxs);
        // every tensor the op reads, by role, to find a written tensor that is also read
        Map<Tensor, String> read = new IdentityHashMap<>(2 * n + 4);
        read.put(dy, "dy");
        for (int j = 0; j < n; j++) {
            Tensor x = entry(op, "xs", xs, j);
            sameShape(op, "xs[" + j + "]", x, "dy", dy);
            GateGradientArgs.check(op, dy, factors, gateGrads, gates[j]);
            read.putIfAbsent(x, "xs[" + j + "]");
        }
        read.putIfAbsent(factors, "factors");
        Map<Tensor, String> written = new IdentityHashMap<>(n + 2);
        for (int j = 0; j < n; j++) {
            Tensor dx = dxs.get(j);
            if (dx == null) {
                continue;
            }
            String name = "dxs[" + j + "]";
            sameShape(op, name, dx, "dy", dy);
            String reader = read.get(dx);
            if (reader != null) {
                throw aliased(op, name, dx, reader, "the fused backward reads dy, every x and the factors while it "
                        + "writes the gradients");
            }
            String other = written.putIfAbsent(dx, name);
            if (other != null) {
                throw aliased(op, name, dx, other, "each op's gradient must be a tensor of its own");
            }
        }
        String reader = read.get(gateGrads);
        if (reader != null) {
            throw aliased(op, "gateGrads", gateGrads, reader, "the fused backward writes the gate gradients while it reads "
                    + reader);
        }
        String gradient = written.get(gateGrads);
        if (gradient != null) {
            throw aliased(op, "gateGrads", gateGrads, gradient, "the fused backward writes both");
        }
        return n;
    }

    private static int lengths(String op, List<Tensor> xs, String indexName, int[] indices, double[] scales,
                               List<Tensor> dxs) {
        Objects.requireNonNull(xs, () -> op + ": xs is null");
        Objects.requireNonNull(indices, () -> op + ": " + indexName + " is null");
        Objects.requireNonNull(scales, () -> op + ": scales is null");
        int n = xs.size();
        boolean dxsAgree = dxs == null || dxs.size() == n;
        if (indices.length != n || scales.length != n || !dxsAgree) {
            throw new IllegalArgumentException(op + ": " + n + " xs, " + indices.length + " " + indexName + ", "
                    + scales.length + " scales" + (dxs == null ? "" : " and " + dxs.size() + " dxs")
                    + "; one entry per op in each");
        }
        return n;
    }

    private static Tensor entry(String op, String list, List<Tensor> tensors, int j) {
        Tensor t = tensors.get(j);
        if (t == null) {
            throw new NullPointerException(op + ": " + list + "[" + j + "] is null");
        }
        return t;
    }

    private static void sameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shape mismatch between " + nameA + " "
                    + Arrays.toString(a.shape()) + " and " + nameB + " " + Arrays.toString(b.shape()));
        }
    }

    private static IllegalArgumentException aliased(String op, String written, Tensor t, String other, String why) {
        return new IllegalArgumentException(op + ": " + written + " " + Arrays.toString(t.shape())
                + " is the same tensor as " + other + "; " + why + ", so they must be different tensors");
    }
}
