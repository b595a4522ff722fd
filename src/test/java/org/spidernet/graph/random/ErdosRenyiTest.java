package org.spidernet.graph.random;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.graph.random.GraphChecks.assertOneLineError;
import static org.spidernet.graph.random.GraphChecks.assertOriented;

class ErdosRenyiTest {

    // The statistical tests draw every graph from one stream: new Random(seed) for consecutive
    // small seeds gives similar first nextDouble()s (all above 0.58 for seeds 0..3999), which
    // would decide the pair 0-1 identically in every draw.

    @Test
    void edgeCountHasTheBinomialMeanAndVariance() {
        // n = 10, p = 0.3: 45 pairs, mean 13.5, variance 45 * 0.3 * 0.7 = 9.45. Over 2000 draws the
        // mean's standard error is sqrt(9.45 / 2000) = 0.069; tolerance 4 standard errors. The
        // sample variance's standard error is about 9.45 * sqrt(2 / 1999) = 0.30 (plus a little
        // kurtosis); tolerance 1.5, which independence between pairs needs to hold.
        int draws = 2000;
        Random random = new Random(19);
        double sum = 0;
        double sumSquares = 0;
        for (long seed = 0; seed < draws; seed++) {
            RandomDag g = ErdosRenyi.generate(10, 0.3, random);
            assertOriented(g);
            sum += g.edgeCount();
            sumSquares += (double) g.edgeCount() * g.edgeCount();
        }
        double mean = sum / draws;
        double variance = (sumSquares - draws * mean * mean) / (draws - 1);
        assertEquals(13.5, mean, 4 * Math.sqrt(9.45 / draws), "mean edge count");
        assertEquals(9.45, variance, 1.5, "edge count variance");
    }

    @Test
    void everyPairIsEquallyLikely() {
        // n = 6, p = 0.5: each of the 15 pairs appears with frequency 0.5, standard error
        // sqrt(0.25 / 4000) = 0.0079; tolerance 4.5 standard errors = 0.036 per pair
        int draws = 4000;
        Random random = new Random(20);
        int[][] seen = new int[6][6];
        for (long seed = 0; seed < draws; seed++) {
            for (RandomDag.Edge e : ErdosRenyi.generate(6, 0.5, random).edges()) {
                seen[e.from()][e.to()]++;
            }
        }
        for (int u = 0; u < 6; u++) {
            for (int v = u + 1; v < 6; v++) {
                assertEquals(0.5, seen[u][v] / (double) draws, 0.036, "pair " + u + "-" + v);
            }
        }
    }

    @Test
    void extremeProbabilitiesGiveTheEmptyAndTheCompleteGraph() {
        for (int n = 1; n <= 12; n++) {
            RandomDag empty = ErdosRenyi.generate(n, 0, new Random(n));
            assertEquals(0, empty.edgeCount());
            assertEquals(n, empty.inputs().length, "every isolated node is an input");
            assertEquals(n, empty.outputs().length, "and an output");
            RandomDag complete = ErdosRenyi.generate(n, 1, new Random(n));
            assertEquals(n * (n - 1) / 2, complete.edgeCount());
            assertOriented(complete);
            assertArrayEquals(new int[]{0}, complete.inputs());
            assertArrayEquals(new int[]{n - 1}, complete.outputs());
        }
    }

    @Test
    void aSeedFixesTheGraph() {
        Set<RandomDag> distinct = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            RandomDag g = ErdosRenyi.generate(8, 0.5, new Random(seed));
            assertEquals(g, ErdosRenyi.generate(8, 0.5, new Random(seed)));
            distinct.add(g);
        }
        assertTrue(distinct.size() >= 95, distinct.size() + " distinct graphs from 100 seeds (2^28 possible)");
    }

    @Test
    void rejectsArgumentsOutOfRange() {
        Random r = new Random(0);
        assertOneLineError(() -> ErdosRenyi.generate(0, 0.5, r), "n is 0");
        assertOneLineError(() -> ErdosRenyi.generate(5, -0.01, r), "p is -0.01");
        assertOneLineError(() -> ErdosRenyi.generate(5, 1.01, r), "p is 1.01");
        assertOneLineError(() -> ErdosRenyi.generate(5, Double.NaN, r), "p is NaN");
        assertOneLineError(() -> ErdosRenyi.generate(5, 0.5, null), "random is null");
    }
}
