package org.spidernet.graph.random;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.graph.random.GraphChecks.assertOneLineError;
import static org.spidernet.graph.random.GraphChecks.assertOriented;
import static org.spidernet.graph.random.GraphChecks.maxDegree;

class BarabasiAlbertTest {

    @Test
    void everyNewNodeBringsExactlyMEdges() {
        for (int m = 1; m <= 5; m++) {
            for (int n = m + 1; n <= 30; n++) {
                for (long seed = 0; seed < 5; seed++) {
                    RandomDag g = BarabasiAlbert.generate(n, m, new Random(seed));
                    assertOriented(g);
                    assertEquals(m * (n - m), g.edgeCount(), g + " from n=" + n + " m=" + m);
                    assertArrayEquals(IntStream.range(0, m).toArray(), g.inputs(), g + ": the seed nodes are the inputs");
                    assertArrayEquals(IntStream.range(0, m).toArray(), g.predecessors(m), g + ": node m joins every seed node");
                    for (int v = m; v < n; v++) {
                        assertEquals(m, g.predecessors(v).length, g + ": node " + v);
                        assertTrue(g.degree(v) >= m, g + ": node " + v);
                    }
                }
            }
        }
    }

    @Test
    void attachesInProportionToDegree() {
        // n = 4, m = 2: nodes 0, 1 have degree 1 and node 2 degree 2 when node 3 arrives. Drawing
        // two distinct targets, the second after discarding repeats of the first, node 3 misses
        // node 2 with probability 2 * (1/4)(1/3) = 1/6. Over 6000 seeds the frequency's standard
        // error is sqrt((1/6)(5/6) / 6000) = 0.0048; tolerance 4 standard errors = 0.019.
        int draws = 6000;
        Random random = new Random(21); // one stream: consecutive small seeds start alike
        int missed = 0;
        for (long seed = 0; seed < draws; seed++) {
            int[] targets = BarabasiAlbert.generate(4, 2, random).predecessors(3);
            missed += targets[1] == 2 ? 0 : 1;
        }
        assertEquals(1 / 6.0, missed / (double) draws, 0.019);
    }

    @Test
    void hasAHeavierTailThanErdosRenyiWithTheSameEdges() {
        // n = 200, m = 2: 396 edges, so G(200, p) with p = 396 / 19900 has the same expected
        // count. Its largest degree is about 11; preferential attachment's grows like m sqrt(n),
        // about 28. Means over 200 seeds; the test asks only for 1.5 times.
        int n = 200;
        int m = 2;
        double p = m * (n - m) / (n * (n - 1) / 2.0);
        Random random = new Random(22);
        double ba = 0;
        double er = 0;
        for (long seed = 0; seed < 200; seed++) {
            ba += maxDegree(BarabasiAlbert.generate(n, m, random)) / 200.0;
            er += maxDegree(ErdosRenyi.generate(n, p, random)) / 200.0;
        }
        assertTrue(ba > 1.5 * er, "mean largest degree: Barabasi-Albert " + ba + ", Erdos-Renyi " + er);
    }

    @Test
    void aSeedFixesTheGraph() {
        Set<RandomDag> distinct = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            RandomDag g = BarabasiAlbert.generate(12, 2, new Random(seed));
            assertEquals(g, BarabasiAlbert.generate(12, 2, new Random(seed)));
            distinct.add(g);
        }
        assertTrue(distinct.size() >= 90, distinct.size() + " distinct graphs from 100 seeds");
    }

    @Test
    void rejectsArgumentsOutOfRange() {
        Random r = new Random(0);
        assertOneLineError(() -> BarabasiAlbert.generate(5, 0, r), "m is 0");
        assertOneLineError(() -> BarabasiAlbert.generate(3, 3, r), "n is 3", "above m = 3");
        assertOneLineError(() -> BarabasiAlbert.generate(5, 2, null), "random is null");
    }
}
