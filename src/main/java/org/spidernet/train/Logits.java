package org.spidernet.train;

/**
 * The rules that turn the classifier head's logits into figures: the predicted class (argmax),
 * the cross-entropy loss and the softmax probabilities. Logits come row-major, {@code classes}
 * per image, as {@link org.spidernet.exec.Network#classifierLogits()} returns them. One home, so
 * training metrics, evaluation reports and predictions cannot disagree on a tie or a rounding.
 */
public final class Logits {
    private Logits() {
    }

    /** The predicted class of image {@code row}: the largest logit, the lowest index among equal ones. */
    public static int argmax(double[] logits, int row, int classes) {
        int base = row * classes;
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (logits[base + k] > logits[base + best]) {
                best = k;
            }
        }
        return best;
    }

    /** {@code -log softmax(logits)[label]} of image {@code row}, computed stably (max subtracted first). */
    public static double crossEntropy(double[] logits, int row, int classes, int label) {
        int base = row * classes;
        double max = max(logits, base, classes);
        double z = 0;
        for (int k = 0; k < classes; k++) {
            z += Math.exp(logits[base + k] - max);
        }
        return Math.log(z) + max - logits[base + label];
    }

    /** The softmax probabilities of image {@code row}, with the same stabilisation as {@link #crossEntropy}. */
    public static double[] softmax(double[] logits, int row, int classes) {
        int base = row * classes;
        double max = max(logits, base, classes);
        double[] p = new double[classes];
        double z = 0;
        for (int k = 0; k < classes; k++) {
            p[k] = Math.exp(logits[base + k] - max);
            z += p[k];
        }
        for (int k = 0; k < classes; k++) {
            p[k] /= z;
        }
        return p;
    }

    /** How many of the first {@code n} images are predicted as their label. */
    public static long countCorrect(double[] logits, int[] labels, int n, int classes) {
        long correct = 0;
        for (int i = 0; i < n; i++) {
            if (argmax(logits, i, classes) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** The cross-entropy summed over the first {@code n} images. */
    public static double crossEntropySum(double[] logits, int[] labels, int n, int classes) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += crossEntropy(logits, i, classes, labels[i]);
        }
        return sum;
    }

    private static double max(double[] logits, int base, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[base + k]);
        }
        return max;
    }
}
