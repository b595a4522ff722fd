package org.spidernet.backend;

/**
 * The dense head of a {@link Backend}: a fully connected layer and its backward pass.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface LinearOps {

    /** y [N,M] = x [N,K] * w[M,K]^T + b [M]. */
    void linear(Tensor x, Tensor w, Tensor b, Tensor y);

    /** dx += dy * w; dw += dy^T * x; db += sum over N of dy. {@code dx} may be null. */
    void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db);
}
