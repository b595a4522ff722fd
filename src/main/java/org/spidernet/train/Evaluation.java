package org.spidernet.train;

/** Mean cross-entropy and accuracy of the classifier head over a dataset. */
public record Evaluation(double loss, double accuracy, int count) {

    /**
     * Sums batches of logits into an {@link Evaluation}. The loss is summed batch by batch, in
     * order, so everything that evaluates through here rounds the same way and gets bit-identical
     * figures for the same logits.
     */
    public static final class Tally {
        private final int classes;
        private long correct;
        private double lossSum;
        private int count;

        public Tally(int classes) {
            this.classes = classes;
        }

        /** Adds the first {@code n} rows of {@code logits}, whose true classes are {@code labels}. */
        public void add(double[] logits, int[] labels, int n) {
            correct += Logits.countCorrect(logits, labels, n, classes);
            lossSum += Logits.crossEntropySum(logits, labels, n, classes);
            count += n;
        }

        public Evaluation result() {
            return new Evaluation(lossSum / count, correct / (double) count, count);
        }
    }
}
