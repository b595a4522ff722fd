package org.spidernet.graph.random;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.graph.random.GraphChecks.assertOneLineError;
import static org.spidernet.graph.random.GraphChecks.assertOriented;
import static org.spidernet.graph.random.GraphChecks.meanClustering;

class WattsStrogatzTest {

    private static final double[] PROBABILITIES = {0, 0.1, 0.5, 1};

    /** The ring lattice: {u, u+j mod n} for j = 1..k/2, oriented low -> high. */
    private static RandomDag lattice(int n, int k) {
        Set<RandomDag.Edge> edges = new HashSet<>();
        for (int u = 0; u < n; u++) {
            for (int j = 1; j <= k / 2; j++) {
                int v = (u + j) % n;
                edges.add(new RandomDag.Edge(Math.min(u, v), Math.max(u, v)));
            }
        }
        return new RandomDag(n, new ArrayList<>(edges));
    }

    @Test
    void keepsTheEdgeCountAndEveryNodesOwnEdges() {
        for (int n = 3; n <= 24; n++) {
            for (int k = 2; 2 * (k / 2) < n; k++) {
                for (double p : PROBABILITIES) {
                    for (long seed = 0; seed < 5; seed++) {
                        RandomDag g = WattsStrogatz.generate(n, k, p, new Random(seed));
                        assertOriented(g);
                        assertEquals(n * (k / 2), g.edgeCount(), g + " from n=" + n + " k=" + k + " p=" + p);
                        for (int v = 0; v < n; v++) {
                            // rewiring moves the far end of u's edges, never u itself
                            assertTrue(g.degree(v) >= k / 2, g + ": node " + v + " lost its own edges");
                        }
                    }
                }
            }
        }
    }

    @Test
    void withoutRewiringIsTheRingLattice() {
        for (int n = 3; n <= 20; n++) {
            for (int k = 2; 2 * (k / 2) < n; k += 2) {
                RandomDag g = WattsStrogatz.generate(n, k, 0, new Random(n * 31L + k));
                assertEquals(lattice(n, k), g, "n=" + n + " k=" + k);
                for (int v = 0; v < n; v++) {
                    assertEquals(k, g.degree(v), "n=" + n + " k=" + k + " node " + v);
                }
            }
        }
    }

    @Test
    void rewiresAboutAFractionPOfTheEdges() {
        // n = 200, k = 4: a rewired edge lands back on a vacated lattice slot of its node with
        // chance at most 2/195, so the non-lattice fraction is p less under 1% of p. Mean over 200
        // seeds of 400 edges: standard error at most 0.0018; tolerance 0.02.
        Set<RandomDag.Edge> ring = new HashSet<>(lattice(200, 4).edges());
        for (double p : new double[]{0.1, 0.5, 0.9}) {
            Random random = new Random(23); // one stream: consecutive small seeds start alike
            double sum = 0;
            for (long seed = 0; seed < 200; seed++) {
                RandomDag g = WattsStrogatz.generate(200, 4, p, random);
                sum += g.edges().stream().filter(e -> !ring.contains(e)).count() / 400.0;
            }
            assertEquals(p, sum / 200, 0.02, "mean fraction of rewired edges at p=" + p);
        }
    }

    @Test
    void rewiringDestroysTheLatticesClustering() {
        // the ring lattice's clustering is 3(k-2)/(4(k-1)) = 0.6 at k = 6; a fully rewired graph is
        // close to G(n, p) with the same edges, whose clustering is about k/n = 0.06
        int n = 100;
        int k = 6;
        double latticeClustering = 3.0 * (k - 2) / (4.0 * (k - 1));
        assertEquals(latticeClustering, meanClustering(WattsStrogatz.generate(n, k, 0, new Random(1))), 1e-12);
        Random random = new Random(24);
        double small = 0;
        double full = 0;
        for (long seed = 0; seed < 100; seed++) {
            small += meanClustering(WattsStrogatz.generate(n, k, 0.01, random)) / 100;
            full += meanClustering(WattsStrogatz.generate(n, k, 1, random)) / 100;
        }
        // the small-world regime: about 0.6 * (1 - 0.01)^3 = 0.58 stays near the lattice's
        assertTrue(small > 0.55, "mean clustering at p=0.01 is " + small + ", expected above 0.55");
        assertTrue(full < 0.15, "mean clustering at p=1 is " + full + ", expected below 0.15 (lattice 0.6)");
    }

    @Test
    void leavesAnEdgeWhoseNodeTouchesEveryOtherNode() {
        // n = 5, k = 4 is the complete graph: no rewiring target exists, even at p = 1
        RandomDag g = WattsStrogatz.generate(5, 4, 1, new Random(3));
        assertEquals(10, g.edgeCount());
        assertEquals(lattice(5, 4), g);
    }

    @Test
    void oddKRoundsDownToEven() {
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(WattsStrogatz.generate(9, 4, 0.4, new Random(seed)),
                    WattsStrogatz.generate(9, 5, 0.4, new Random(seed)));
            assertEquals(WattsStrogatz.generate(9, 2, 0.4, new Random(seed)),
                    WattsStrogatz.generate(9, 3, 0.4, new Random(seed)));
        }
    }

    @Test
    void coversNagosRangesWhereKFitsTheRing() {
        // NAGO: N in [3, 10], K in [2, 5], P in [0.1, 1]; only N = 3 with K = 4 or 5 (rounded 4 >= 3)
        // and N = 4 with K = 4 or 5 (rounded 4 >= 4) fall outside the lattice's range
        for (int n = 3; n <= 10; n++) {
            for (int k = 2; k <= 5; k++) {
                for (double p = 0.1; p <= 1.0001; p += 0.1) {
                    int kk = k;
                    int nn = n;
                    double pp = Math.min(p, 1);
                    if (2 * (k / 2) < n) {
                        assertOriented(WattsStrogatz.generate(n, k, pp, new Random(n * 100L + k)));
                    } else {
                        assertOneLineError(() -> WattsStrogatz.generate(nn, kk, pp, new Random(0)), "k is " + kk);
                    }
                }
            }
        }
    }

    @Test
    void aSeedFixesTheGraph() {
        Set<RandomDag> distinct = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            RandomDag g = WattsStrogatz.generate(10, 4, 0.5, new Random(seed));
            assertEquals(g, WattsStrogatz.generate(10, 4, 0.5, new Random(seed)));
            distinct.add(g);
        }
        assertTrue(distinct.size() >= 90, distinct.size() + " distinct graphs from 100 seeds");
    }

    @Test
    void rejectsArgumentsOutOfRange() {
        Random r = new Random(0);
        assertOneLineError(() -> WattsStrogatz.generate(2, 2, 0.5, r), "n is 2");
        assertOneLineError(() -> WattsStrogatz.generate(6, 1, 0.5, r), "k is 1");
        assertOneLineError(() -> WattsStrogatz.generate(6, 6, 0.5, r), "k is 6", "below n = 6");
        assertOneLineError(() -> WattsStrogatz.generate(4, 5, 0.5, r), "k is 5", "rounded down to 4", "below n = 4");
        assertOneLineError(() -> WattsStrogatz.generate(6, 2, -0.1, r), "p is -0.1");
        assertOneLineError(() -> WattsStrogatz.generate(6, 2, 1.5, r), "p is 1.5");
        assertOneLineError(() -> WattsStrogatz.generate(6, 2, Double.NaN, r), "p is NaN");
        assertOneLineError(() -> WattsStrogatz.generate(6, 2, 0.5, null), "random is null");
    }
}
