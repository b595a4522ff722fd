package org.spidernet.graph.random;

import java.util.Random;

/**
 * Erdos-Renyi graphs G(n, p) (Gilbert's model): each of the {@code n(n-1)/2} node pairs is an
 * edge independently with probability {@code p}. NAGO's generator for the nodes inside a cell.
 * The result is oriented low index -> high index.
 */
public final class ErdosRenyi {
    private ErdosRenyi() {
    }

    /**
     * A G(n, p) graph, oriented low -> high. Pairs are drawn in the order (0,1), (0,2), ...,
     * (1,2), ..., one {@code nextDouble()} each, so a seed fixes the graph.
     *
     * @param n nodes, at least 1
     * @param p edge probability per pair, in [0, 1]
     * @param random the only source of randomness; the same seed gives the same graph
     * @throws IllegalArgumentException one line naming the parameter and its fault
     */
    public static RandomDag generate(int n, double p, Random random) {
        if (n < 1) {
            throw new IllegalArgumentException("n is " + n + ", must be at least 1");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p is " + p + ", must be a probability in [0, 1]");
        }
        if (random == null) {
            throw new IllegalArgumentException("random is null; pass a seeded java.util.Random");
        }
        SimpleGraph g = new SimpleGraph(n);
        for (int u = 0; u < n; u++) {
            for (int v = u + 1; v < n; v++) {
                if (random.nextDouble() < p) {
                    g.addEdge(u, v);
                }
            }
        }
        return g.oriented();
    }
}
