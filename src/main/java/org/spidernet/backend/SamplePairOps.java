package org.spidernet.backend;

/**
 * The sample-pair kernels of a {@link Backend} that the train-free metrics use (NASWOT's Hamming
 * kernel, the NTK's Gram matrix).
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface SamplePairOps {

    /**
     * k[i][j] += the number of positions d at which samples i and j of {@code x} have the same
     * sign bit {@code [x[i,d] > 0]}, for x [N, ...] (D elements per sample) and k [N, N]: NASWOT's
     * Hamming kernel {@code N_A - hamming(c_i, c_j)} of the activation codes, one ReLU layer per
     * call, accumulated like a backward op. Zero, -0 and NaN all count as "not positive" (a caller
     * that must tell NaN apart checks for it separately). Every entry is an integer; a float32
     * backend holds it exactly while it stays below 2^24. {@code k} must not be {@code x}.
     */
    void signAgreement(Tensor x, Tensor k);

    /**
     * The Gram matrix of the samples of {@code a} [N, ...] (D elements per sample), returned as a
     * row-major float64 array of N * N: {@code G[i*N + j] = sum over d of a[i,d] * a[j,d]}. Every
     * backend forms the products and sums in float64 and returns them without rounding to its own
     * element type, because the NTK's condition number divides by G's smallest eigenvalue.
     * Waits for queued work, like {@link ElementwiseOps#dotPerSample}.
     */
    double[] gram(Tensor a);
}
