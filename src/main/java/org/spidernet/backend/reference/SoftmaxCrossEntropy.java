package org.spidernet.backend.reference;

/** Mean softmax cross-entropy over a batch of logit rows, with its gradient. */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * Returns mean over rows of -log softmax(logits)[label] and accumulates
     * dLogits += scale * (softmax - onehot) / batch. The row maximum is subtracted before
     * exponentiating so large logits cannot overflow; the loss is computed as
     * log(sum exp(z - max)) - (z[label] - max), which stays finite even when softmax[label]
     * underflows to zero.
     */
    static double forwardBackward(int batch, int classes, double[] logits, int[] labels, double[] dLogits,
                                  double scale) {
        double total = 0;
        double[] exp = new double[classes];
        for (int n = 0; n < batch; n++) {
            int row = n * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < classes; m++) {
                max = Math.max(max, logits[row + m]);
            }
            double sum = 0;
            for (int m = 0; m < classes; m++) {
                exp[m] = Math.exp(logits[row + m] - max);
                sum += exp[m];
            }
            total += Math.log(sum) - (logits[row + labels[n]] - max);
            for (int m = 0; m < classes; m++) {
                double p = exp[m] / sum;
                double target = m == labels[n] ? 1.0 : 0.0;
                dLogits[row + m] += scale * (p - target) / batch;
            }
        }
        return total / batch;
    }
}
