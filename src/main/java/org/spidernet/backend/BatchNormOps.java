package org.spidernet.backend;

/**
 * Batch normalisation of a {@link Backend}: training and evaluation forward passes and the
 * backward pass.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface BatchNormOps {

    /**
     * Training-mode BatchNorm over N,H,W per channel (biased batch variance for normalising):
     * y = gamma * (x - mean) * invStd + beta with invStd = 1 / sqrt(var + eps). Writes the batch
     * mean and invStd into {@code saveMean} / {@code saveInvStd} [C] for the backward pass and
     * updates the running statistics: run = (1 - momentum) * run + momentum * batch, using the
     * unbiased variance for {@code runVar} (PyTorch's convention).
     */
    void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                        Tensor runMean, Tensor runVar, double momentum, double eps);

    /** Evaluation-mode BatchNorm with the running statistics. */
    void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y, double eps);

    /** Backward of {@link #batchNormTrain}: dx += ..., dGamma += ..., dBeta += ... */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);
}
