package org.spidernet.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Kendall's tau-b, the rank correlation corrected for ties in either variable:
 * {@code (C - D) / sqrt((n0 - n1) (n0 - n2))} with C and D the concordant and discordant pairs,
 * n0 = n(n-1)/2, n1 and n2 the pairs tied in x and in y.
 *
 * <p>Computed by Knight's O(n log n) algorithm (Knight 1966, as in SciPy's {@code kendalltau}):
 * sort by (x, y), count the ties in x and the joint ties, count the discordant pairs as the
 * inversions of y by a merge sort, then the ties in y on the sorted y.
 *
 * <p>Undefined (NaN): fewer than two pairs, or a constant variable (every pair tied). NaN inputs
 * and unequal lengths are an {@link IllegalArgumentException}.
 */
public final class KendallTau {
    private KendallTau() {
    }

    public static double of(double[] x, double[] y) {
        PairedSamples.check(x, y);
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> x[i]).thenComparingDouble(i -> y[i]));
        double[] ys = new double[n];
        long tiedX = 0;
        long tiedBoth = 0;
        long runX = 1;
        long runBoth = 1;
        for (int k = 0; k < n; k++) {
            ys[k] = y[order[k]];
            if (k > 0) {
                boolean sameX = x[order[k]] == x[order[k - 1]];
                runX = sameX ? runX + 1 : 1;
                runBoth = sameX && ys[k] == ys[k - 1] ? runBoth + 1 : 1;
                tiedX += runX - 1;     // the new element ties with every earlier one of its run
                tiedBoth += runBoth - 1;
            }
        }
        long discordant = inversions(ys, new double[n], 0, n);
        long tiedY = 0;
        long runY = 1;
        for (int k = 1; k < n; k++) { // ys is sorted now
            runY = ys[k] == ys[k - 1] ? runY + 1 : 1;
            tiedY += runY - 1;
        }
        long pairs = (long) n * (n - 1) / 2;
        double denom = Math.sqrt((double) (pairs - tiedX) * (double) (pairs - tiedY));
        if (denom == 0) {
            return Double.NaN;
        }
        long untied = pairs - tiedX - tiedY + tiedBoth; // C + D
        return (untied - 2.0 * discordant) / denom;
    }

    /** Sorts {@code a[lo, hi)} and returns the number of strict inversions (i < j, a[i] > a[j]). */
    private static long inversions(double[] a, double[] tmp, int lo, int hi) {
        if (hi - lo < 2) {
            return 0;
        }
        int mid = (lo + hi) >>> 1;
        long count = inversions(a, tmp, lo, mid) + inversions(a, tmp, mid, hi);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            if (a[j] < a[i]) {
                count += mid - i; // a[j] is below every element left in the first half
                tmp[k++] = a[j++];
            } else {
                tmp[k++] = a[i++];
            }
        }
        while (i < mid) {
            tmp[k++] = a[i++];
        }
        while (j < hi) {
            tmp[k++] = a[j++];
        }
        System.arraycopy(tmp, lo, a, lo, hi - lo);
        return count;
    }
}
