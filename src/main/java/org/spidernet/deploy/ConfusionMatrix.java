package org.spidernet.deploy;

import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs: {@code count(t, p)} images of class {@code t}
 * were predicted as {@code p}. Row {@code t} sums to the number of images of class {@code t}, the
 * diagonal to the number predicted right; per-class accuracy is the diagonal over the row sum.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        counts = new long[classes][classes];
    }

    public int classes() {
        return counts.length;
    }

    /** Counts one image of class {@code truth} predicted as {@code predicted}. */
    public void add(int truth, int predicted) {
        Objects.checkIndex(truth, counts.length);
        Objects.checkIndex(predicted, counts.length);
        counts[truth][predicted]++;
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** Images of class {@code truth}: the row sum. */
    public long classCount(int truth) {
        long s = 0;
        for (long v : counts[truth]) {
            s += v;
        }
        return s;
    }

    /** Images of class {@code truth} predicted right: the diagonal entry. */
    public long classCorrect(int truth) {
        return counts[truth][truth];
    }

    /** The share of class {@code truth} predicted right; NaN for a class with no images. */
    public double classAccuracy(int truth) {
        long n = classCount(truth);
        return n == 0 ? Double.NaN : classCorrect(truth) / (double) n;
    }

    /** All images counted. */
    public long total() {
        long s = 0;
        for (int t = 0; t < counts.length; t++) {
            s += classCount(t);
        }
        return s;
    }

    /** All images predicted right: the trace. */
    public long correct() {
        long s = 0;
        for (int t = 0; t < counts.length; t++) {
            s += counts[t][t];
        }
        return s;
    }

    /** A copy of the counts, [true][predicted]. */
    public long[][] toArray() {
        long[][] copy = new long[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }
}
