package org.spidernet.search.bohb;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParzenDensityTest {

    @Test
    void scottsBandwidthWorkedByHandWithItsFloor() {
        // Coordinate 0: 0.2, 0.4, 0.6, 0.8 -> sample sd sqrt(0.2 / 3) = 0.2582; n^(-1/(d+4)) = 4^(-1/6) = 0.7937.
        // Coordinate 1: all 0.5 -> sd 0 -> floor 1e-3.
        ParzenDensity k = ParzenDensity.fit(List.of(new Point(0.2, 0.5), new Point(0.4, 0.5), new Point(0.6, 0.5),
                new Point(0.8, 0.5)), 1e-3);
        assertEquals(Math.sqrt(0.2 / 3) * Math.pow(4, -1.0 / 6), k.bandwidth(0), 1e-15);
        assertEquals(1e-3, k.bandwidth(1), 0.0);
        assertEquals(1e-3, ParzenDensity.fit(List.of(new Point(0.3)), 1e-3).bandwidth(0), 0.0);
    }

    @Test
    void oneDimensionalDensityIntegratesToOneAndMatchesAGaussianMixture() {
        ParzenDensity k = ParzenDensity.fit(List.of(new Point(0.1), new Point(0.35), new Point(0.9)), 1e-3);
        double h = k.bandwidth(0);
        double integral = 0;
        double step = 1e-4;
        for (double x = -3; x < 4; x += step) { // wide enough: the density is not truncated to [0, 1]
            double mixture = 0;
            for (double c : new double[]{0.1, 0.35, 0.9}) {
                mixture += Math.exp(-0.5 * (x - c) * (x - c) / (h * h)) / (h * Math.sqrt(2 * Math.PI)) / 3;
            }
            if (x >= 0 && x <= 1) {
                assertEquals(Math.log(mixture), k.logDensity(new Point(x)), 1e-12);
            }
            integral += mixture * step;
        }
        assertEquals(1.0, integral, 1e-6);
    }

    @Test
    void logDensityStaysFiniteFarFromEveryKernel() {
        // exp of the exponent underflows to 0 here; the log-sum-exp keeps a finite, ordered value.
        ParzenDensity k = ParzenDensity.fit(List.of(new Point(0, 0, 0), new Point(0.001, 0, 0)), 1e-3);
        double far = k.logDensity(new Point(0.9, 0.9, 0.9));
        double farthest = k.logDensity(new Point(1, 1, 1));
        assertTrue(Double.isFinite(farthest) && farthest < -1e5, "log density " + farthest);
        assertTrue(far > farthest, far + " vs " + farthest);
    }

    @Test
    void samplesStayInTheCubeAndSpreadByTheFactor() {
        ParzenDensity k = ParzenDensity.fit(List.of(new Point(0.0, 0.5), new Point(0.02, 0.52), new Point(0.04, 0.54)),
                1e-3);
        double h = k.bandwidth(1);
        Random r = new Random(11);
        int n = 20_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            Point p = k.sample(r, 3);
            assertTrue(p.coordinate(0) >= 0 && p.coordinate(0) <= 1);
            double y = p.coordinate(1) - 0.52;
            sum += y;
            sq += y * y;
        }
        // Coordinate 1: an equal mixture of N(0.50, 3h), N(0.52, 3h), N(0.54, 3h), far from the walls.
        double mean = sum / n;
        double var = sq / n - mean * mean;
        double expectedVar = 9 * h * h + (0.02 * 0.02 * 2) / 3;
        assertEquals(0, mean, 4 * Math.sqrt(expectedVar / n));
        assertEquals(expectedVar, var, 0.05 * expectedVar);
    }

    @Test
    void sampleIsAPureFunctionOfTheRandom() {
        ParzenDensity k = ParzenDensity.fit(List.of(new Point(0.2, 0.9), new Point(0.7, 0.1)), 1e-3);
        Random a = new Random(5);
        Random b = new Random(5);
        for (int i = 0; i < 10; i++) {
            assertEquals(k.sample(a, 3), k.sample(b, 3));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ParzenDensity.fit(List.of(), 1e-3));
        assertThrows(IllegalArgumentException.class, () -> ParzenDensity.fit(List.of(new Point(0.5)), 0));
        assertThrows(IllegalArgumentException.class, () -> ParzenDensity.fit(List.of(new Point(0.5), new Point(0.5, 0.5)),
                1e-3));
        ParzenDensity k = ParzenDensity.fit(List.of(new Point(0.5)), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> k.logDensity(new Point(0.5, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> k.sample(new Random(1), 0));
    }
}
