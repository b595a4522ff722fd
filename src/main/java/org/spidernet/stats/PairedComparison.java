package org.spidernet.stats;

/**
 * Two treatments measured on the same units (two search strategies on the same seeds): how often
 * the first did better, worse or the same, and the mean of the differences {@code a - b} with its
 * paired t interval ({@link MeanInterval} of the differences, which is what the paired t test
 * inverts). "Better" is the caller's direction: higher for accuracy, lower for a cost.
 *
 * @param wins       units where {@code a} is better than {@code b}
 * @param losses     units where {@code a} is worse
 * @param ties       units where they are equal (exactly: both come from deterministic runs)
 * @param difference mean of {@code a - b} and its interval (NaN bounds for a single unit)
 */
public record PairedComparison(int wins, int losses, int ties, Interval difference) {

    /** Which way is better. */
    public enum Better {
        HIGHER, LOWER
    }

    public PairedComparison {
        if (wins < 0 || losses < 0 || ties < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got " + wins + "/" + losses + "/" + ties);
        }
    }

    /** The units compared. */
    public int n() {
        return wins + losses + ties;
    }

    /**
     * Compares {@code a[i]} with {@code b[i]} for every unit i at the 95% level.
     *
     * @throws IllegalArgumentException for arrays of different or zero length, or values that are not finite
     */
    public static PairedComparison of(double[] a, double[] b, Better better) {
        return of(a, b, better, MeanInterval.LEVEL);
    }

    public static PairedComparison of(double[] a, double[] b, Better better, double level) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples must have one value per unit each, got " + a.length
                    + " and " + b.length);
        }
        int wins = 0;
        int losses = 0;
        int ties = 0;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
            int c = Double.compare(a[i], b[i]);
            if (a[i] == b[i]) {
                ties++;
            } else if ((c > 0) == (better == Better.HIGHER)) {
                wins++;
            } else {
                losses++;
            }
        }
        return new PairedComparison(wins, losses, ties, MeanInterval.of(d, level));
    }
}
