package org.spidernet.backend;

import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

/**
 * Extents of one batch-normalisation call over x [N,C,H,W]: the one home of its shape and
 * hyper-parameter rules for every backend. Per-channel tensors (gamma, beta, statistics and
 * their gradients) are [C].
 */
public record BatchNormExtents(int batch, int channels, int plane) {

    /** x must be [N,C,H,W]; {@code others} are the tensors shaped like x (y, or dy and dx), named by {@code names}. */
    public static BatchNormExtents of(String op, int[] x, String[] names, int[]... others) {
        rank(op, "x", x, 4);
        for (int i = 0; i < others.length; i++) {
            ShapeCheck.sameShape(op, "x", x, names[i], others[i]);
        }
        return new BatchNormExtents(x[0], x[1], x[2] * x[3]);
    }

    /** A per-channel parameter or statistics tensor must be [C]. */
    public void perChannel(String op, String name, int[] shape) {
        ShapeCheck.shape(op, name, shape, channels);
    }

    /**
     * The training pass's extra rules: the unbiased running variance divides by N*H*W - 1, so it
     * needs two values per channel; momentum blends the running statistics.
     */
    public void trainable(String op, int[] x, double momentum, double eps) {
        require((long) batch * plane >= 2, op + ": needs at least 2 values per channel, x has shape " + str(x));
        positiveEps(op, eps);
        require(momentum >= 0 && momentum <= 1, op + ": momentum must be in [0, 1], got " + momentum);
    }

    /**
     * The training pass's aliasing rule: no output (y, the saved and running statistics) may be
     * x, gamma or beta.
     */
    public static void trainAliasing(String op, Tensor x, Tensor gamma, Tensor beta, Tensor... outputs) {
        for (Tensor out : outputs) {
            ShapeCheck.distinct(op, "an output", out, "x", x);
            ShapeCheck.distinct(op, "an output", out, "gamma", gamma);
            ShapeCheck.distinct(op, "an output", out, "beta", beta);
        }
    }

    /** The backward pass's aliasing rule: dx is neither x nor dy, dGamma is not dBeta. */
    public static void backwardAliasing(String op, Tensor x, Tensor dy, Tensor dx, Tensor dGamma, Tensor dBeta) {
        ShapeCheck.distinct(op, "dx", dx, "x", x);
        ShapeCheck.distinct(op, "dx", dx, "dy", dy);
        ShapeCheck.distinct(op, "dGamma", dGamma, "dBeta", dBeta);
    }

    /** eps keeps 1/sqrt(var + eps) finite. */
    public static void positiveEps(String op, double eps) {
        require(eps > 0, op + ": eps must be positive, got " + eps);
    }
}
