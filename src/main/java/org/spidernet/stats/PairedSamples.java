package org.spidernet.stats;

/** The input rule every paired statistic here shares: two arrays of equal length, no NaN. */
final class PairedSamples {
    private PairedSamples() {
    }

    /** @throws IllegalArgumentException naming the array and index of a NaN, or the two lengths */
    static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: x has " + x.length + ", y has "
                    + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("paired samples: " + (Double.isNaN(x[i]) ? "x" : "y") + "[" + i
                        + "] is NaN (leave failed values out before correlating)");
            }
        }
    }
}
