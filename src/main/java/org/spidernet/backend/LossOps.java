package org.spidernet.backend;

/**
 * The loss of a {@link Backend}: softmax cross-entropy, forward and backward in one op.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface LossOps {

    /**
     * Softmax cross-entropy of {@code logits} [N,M] against {@code labels} [N] (class ids held as
     * element values, exact below 2^24): {@code loss[0] += scale * mean over n of
     * -log softmax(logits[n])[labels[n]]} (the sum formed in float64, rounded once when added) and
     * {@code dLogits += scale * (softmax(logits) - onehot(labels)) / N}. {@code loss} is a [1]
     * tensor the caller zeroes before a step's first head; nothing comes back to the host, so the
     * loss is read after the step. A host backend rejects a label that is not an integer in
     * [0, M) with an {@link IllegalArgumentException}; a device backend, which cannot look without
     * waiting, makes the loss NaN (callers check labels when they upload them).
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale);
}
