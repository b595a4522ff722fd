package org.spidernet.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PairedComparisonTest {
    /** Student's sleep data, the two drugs on the same ten patients (R's {@code sleep}). */
    private static final double[] DRUG1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    private static final double[] DRUG2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    @Test
    void reproducesRsPairedTTestOnTheSleepData() {
        PairedComparison p = PairedComparison.of(DRUG1, DRUG2, PairedComparison.Better.HIGHER);
        // patient 5 slept -0.1 h more on both; drug 2 did better on the other nine
        assertEquals(0, p.wins());
        assertEquals(9, p.losses());
        assertEquals(1, p.ties());
        assertEquals(10, p.n());
        assertEquals(-1.58, p.difference().estimate(), 1e-12);
        assertEquals(-2.4598858, p.difference().low(), 5e-8);
        assertEquals(-0.7001142, p.difference().high(), 5e-8);
    }

    @Test
    void lowerIsBetterSwapsWinsAndLossesButNotTheDifference() {
        PairedComparison p = PairedComparison.of(DRUG1, DRUG2, PairedComparison.Better.LOWER);
        assertEquals(9, p.wins());
        assertEquals(0, p.losses());
        assertEquals(-1.58, p.difference().estimate(), 1e-12);
    }

    @Test
    void countsMatchAPairByPairTallyOnRandomData() {
        Random rng = new Random();
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rng.nextInt(10);
            double[] a = new double[n];
            double[] b = new double[n];
            int wins = 0;
            int ties = 0;
            for (int i = 0; i < n; i++) {
                a[i] = rng.nextInt(4);
                b[i] = rng.nextInt(4);
                wins += a[i] > b[i] ? 1 : 0;
                ties += a[i] == b[i] ? 1 : 0;
            }
            PairedComparison p = PairedComparison.of(a, b, PairedComparison.Better.HIGHER);
            assertEquals(wins, p.wins());
            assertEquals(ties, p.ties());
            assertEquals(n - wins - ties, p.losses());
        }
    }

    @Test
    void refusesUnpairedSamples() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new double[]{1, 2}, new double[]{1}, PairedComparison.Better.HIGHER));
    }
}
