package org.spidernet.stats;

/**
 * A point estimate with a two-sided confidence interval at {@code level} (0.95 for 95%). The bounds
 * may be NaN where the interval is undefined (fewer than two samples); the estimate never is
 * unless its inputs were.
 */
public record Interval(double estimate, double low, double high, double level) {
    public Interval {
        checkLevel(level);
        if (low > high) {
            throw new IllegalArgumentException("interval bounds out of order: [" + low + ", " + high + "]");
        }
    }

    /** @throws IllegalArgumentException unless {@code level} is in (0, 1) */
    public static void checkLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
    }

    /** Half the interval's width, NaN where the interval is undefined. */
    public double halfWidth() {
        return (high - low) / 2;
    }

    /** "0.7412 [0.7301, 0.7523]", the form tables print. */
    public String format(String numberFormat) {
        return String.format(java.util.Locale.ROOT, numberFormat + " [" + numberFormat + ", " + numberFormat + "]",
                estimate, low, high);
    }
}
