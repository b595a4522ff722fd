package org.spidernet.graph.random;

import java.util.Random;

/**
 * Watts-Strogatz small-world graphs (Watts and Strogatz, Nature 1998), NAGO's generator for the
 * stages of a network and the ops inside a node.
 *
 * <p>Start from a ring lattice in which every node joins its {@code k/2} nearest neighbours on each
 * side. Then, one lap of the ring per distance {@code j = 1..k/2}, each lattice edge {u, u+j} is
 * rewired with probability {@code p} to {u, w}, {@code w} drawn uniformly from the nodes that are
 * neither {@code u} nor already adjacent to {@code u}; when there is no such node the edge stays.
 * Rewiring keeps the edge count at {@code n*k/2} and keeps {@code u} on its {@code k/2} edges, so
 * every degree stays at least {@code k/2}. The result is oriented low index -> high index.
 *
 * <p>Odd {@code k} rounds down to the even {@code k-1}, as NetworkX's {@code watts_strogatz_graph}
 * does (its lattice loop runs to {@code k // 2}): NAGO draws {@code K} from [2, 5] and passes it on
 * unchanged, so K = 3 and K = 5 give the lattices of K = 2 and K = 4. The rounded {@code k} must
 * be below {@code n}; otherwise the ring has too few nodes for {@code k} distinct neighbours, and
 * clamping {@code k} to {@code n} is left to the caller, who knows which bound it wants.
 */
public final class WattsStrogatz {
    private WattsStrogatz() {
    }

    /**
     * A Watts-Strogatz graph on {@code n} nodes, oriented low -> high.
     *
     * @param n nodes on the ring, at least 3
     * @param k lattice degree, at least 2; odd values round down; the rounded value must be below {@code n}
     * @param p rewiring probability per lattice edge, in [0, 1]
     * @param random the only source of randomness; the same seed gives the same graph
     * @throws IllegalArgumentException one line naming the parameter and its fault
     */
    public static RandomDag generate(int n, int k, double p, Random random) {
        if (n < 3) {
            throw new IllegalArgumentException("n is " + n + ", a ring needs at least 3 nodes");
        }
        if (k < 2) {
            throw new IllegalArgumentException("k is " + k + ", must be at least 2");
        }
        int half = k / 2;
        if (2 * half >= n) {
            throw new IllegalArgumentException("k is " + k + (k % 2 == 1 ? " (rounded down to " + 2 * half + ")" : "")
                    + ", must be below n = " + n);
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p is " + p + ", must be a probability in [0, 1]");
        }
        if (random == null) {
            throw new IllegalArgumentException("random is null; pass a seeded java.util.Random");
        }

        SimpleGraph g = new SimpleGraph(n);
        for (int u = 0; u < n; u++) {
            for (int j = 1; j <= half; j++) {
                g.addEdge(u, (u + j) % n);
            }
        }
        // lap by lap, as Watts and Strogatz describe it: the nearest edges first, then the next ring out
        int[] candidates = new int[n];
        for (int j = 1; j <= half; j++) {
            for (int u = 0; u < n; u++) {
                if (random.nextDouble() >= p) {
                    continue;
                }
                int count = 0;
                for (int w = 0; w < n; w++) {
                    if (w != u && !g.hasEdge(u, w)) {
                        candidates[count++] = w;
                    }
                }
                if (count == 0) {
                    continue; // u is adjacent to every other node: nowhere to rewire to
                }
                // {u, u+j} is still present: earlier rewirings removed only other lattice edges
                // and never add an edge that exists already
                g.removeEdge(u, (u + j) % n);
                g.addEdge(u, candidates[random.nextInt(count)]);
            }
        }
        return g.oriented();
    }
}
