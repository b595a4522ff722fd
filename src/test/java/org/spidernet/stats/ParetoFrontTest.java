package org.spidernet.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParetoFrontTest {

    /** Brute force: i is on the front when no j is at least as good in both and better in one. */
    private static boolean dominated(int i, double[] acc, double[] cost) {
        for (int j = 0; j < acc.length; j++) {
            if (acc[j] >= acc[i] && cost[j] <= cost[i] && (acc[j] > acc[i] || cost[j] < cost[i])) {
                return true;
            }
        }
        return false;
    }

    @Test
    void equalsBruteForceDominanceOnRandomPointsWithManyTies() {
        Random rng = new Random();
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(30);
            // small grids make equal coordinates and identical points common
            int grid = 1 + rng.nextInt(6);
            double[] acc = new double[n];
            double[] cost = new double[n];
            for (int i = 0; i < n; i++) {
                acc[i] = rng.nextInt(grid) / (double) grid;
                cost[i] = rng.nextInt(grid) * 1000.0;
            }
            List<Integer> want = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!dominated(i, acc, cost)) {
                    want.add(i);
                }
            }
            List<Integer> got = ParetoFront.of(acc, cost);
            assertEquals(want.size(), got.size(), "front size");
            assertTrue(got.containsAll(want));
            for (int k = 1; k < got.size(); k++) {
                // drawn left to right: cost never falls, and accuracy rises with cost
                assertTrue(cost[got.get(k)] >= cost[got.get(k - 1)]);
                assertTrue(acc[got.get(k)] >= acc[got.get(k - 1)]);
            }
        }
    }

    @Test
    void keepsIdenticalFrontPointsAndDropsAnEqualAccuracyAtHigherCost() {
        double[] acc = {0.8, 0.8, 0.8, 0.9, 0.7};
        double[] cost = {100, 100, 200, 300, 50};
        assertEquals(List.of(4, 0, 1, 3), ParetoFront.of(acc, cost));
    }

    @Test
    void refusesNaNAndUnequalLengths() {
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.of(new double[]{Double.NaN}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.of(new double[]{1, 2}, new double[]{1}));
        assertEquals(List.of(), ParetoFront.of(new double[0], new double[0]));
    }
}
