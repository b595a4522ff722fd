package org.spidernet.backend;

/**
 * The elementwise ops and whole-tensor reductions of a {@link Backend}: fill, copies, axpy, dots
 * and ReLU.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface ElementwiseOps {

    /** t[:] = value. */
    void fill(Tensor t, double value);

    /** dst[:] = src[:] (same size). */
    void copy(Tensor src, Tensor dst);

    /**
     * dst[offset + t] = src[t] for every element t of src, both taken as flat row-major arrays:
     * writes one slice of a larger tensor (a sample's row of a Jacobian), leaving the rest of dst
     * as it was. Requires 0 &lt;= offset and offset + src.size &lt;= dst.size; src must not be dst.
     */
    void copyInto(Tensor src, Tensor dst, long offset);

    /** y += alpha * x (same size). */
    void axpy(double alpha, Tensor x, Tensor y);

    /** Sum of a[i] * b[i] over all elements (same size). */
    double dot(Tensor a, Tensor b);

    /** For each sample n of the outer dimension: sum over the rest of a[n,...] * b[n,...]. */
    double[] dotPerSample(Tensor a, Tensor b);

    /** y = max(x, 0). */
    void relu(Tensor x, Tensor y);

    /** dx += dy * [x > 0], where x is the forward input. */
    void reluBackward(Tensor x, Tensor dy, Tensor dx);
}
