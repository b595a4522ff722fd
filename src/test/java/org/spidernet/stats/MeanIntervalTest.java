package org.spidernet.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeanIntervalTest {
    /**
     * Student's sleep data (Cushny and Peebles 1905): extra hours of sleep of ten patients, drug 1
     * minus drug 2. R's {@code t.test(extra ~ group, data = sleep, paired = TRUE)} (its manual's
     * example) prints mean difference -1.58 and the 95% interval -2.4598858 -0.7001142; a paired
     * interval is the one-sample interval of the differences.
     */
    static final double[] SLEEP_DIFFERENCES = {-1.2, -2.4, -1.3, -1.3, 0.0, -1.0, -1.8, -0.8, -4.6, -1.4};

    @Test
    void reproducesThePublishedIntervalOfStudentsSleepData() {
        Interval i = MeanInterval.of(SLEEP_DIFFERENCES);
        // R prints 7 significant digits
        assertEquals(-1.58, i.estimate(), 1e-12);
        assertEquals(-2.4598858, i.low(), 5e-8);
        assertEquals(-0.7001142, i.high(), 5e-8);
        assertEquals(0.95, i.level());
    }

    /**
     * Fresh random samples against mean &plusmn; t s / &radic;n computed here, with t from a
     * printed table of Student's t quantiles (two-sided 95% and 99%, 4 and 9 degrees of freedom).
     */
    @Test
    void matchesTheFormulaWithTabulatedQuantilesOnRandomSamples() {
        Random rng = new Random();
        double[][] table = {{5, 0.95, 2.776445}, {10, 0.95, 2.262157}, {5, 0.99, 4.604095}, {10, 0.99, 3.249836}};
        for (int trial = 0; trial < 20; trial++) {
            for (double[] row : table) {
                int n = (int) row[0];
                double[] x = new double[n];
                double scale = Math.exp(rng.nextGaussian() * 3);
                for (int k = 0; k < n; k++) {
                    x[k] = rng.nextGaussian() * scale + rng.nextGaussian() * 10 * scale;
                }
                double mean = 0;
                for (double v : x) {
                    mean += v / n;
                }
                double ss = 0;
                for (double v : x) {
                    ss += (v - mean) * (v - mean);
                }
                double half = row[2] * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
                Interval got = MeanInterval.of(x, row[1]);
                // the table's 7 digits bound the relative error of the half-width at ~2e-7
                double tol = 1e-6 * half + 1e-12 * Math.abs(mean);
                assertEquals(mean, got.estimate(), 1e-12 * (Math.abs(mean) + scale));
                assertEquals(mean - half, got.low(), tol);
                assertEquals(mean + half, got.high(), tol);
            }
        }
    }

    @Test
    void oneValueHasNoIntervalAndBadInputIsRefused() {
        Interval one = MeanInterval.of(new double[]{0.7});
        assertEquals(0.7, one.estimate());
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()));
        assertThrows(IllegalArgumentException.class, () -> MeanInterval.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> MeanInterval.of(new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> MeanInterval.of(new double[]{1, 2}, 1.0));
    }

    @Test
    void identicalValuesGiveAZeroWidthInterval() {
        Interval i = MeanInterval.of(new double[]{0.25, 0.25, 0.25});
        assertEquals(0.25, i.low());
        assertEquals(0.25, i.high());
    }
}
