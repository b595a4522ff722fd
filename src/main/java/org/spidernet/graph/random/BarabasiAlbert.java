package org.spidernet.graph.random;

import java.util.Random;

/**
 * Barabasi-Albert preferential-attachment graphs (Barabasi and Albert, Science 1999), the third
 * graph family NAGO offers.
 *
 * <p>Seed graph: nodes {@code 0..m-1} without edges. Node {@code m} joins all of them (there are no
 * degrees yet to prefer); every later node {@code v} joins {@code m} distinct nodes among
 * {@code 0..v-1}, each drawn with probability proportional to its current degree, a drawn node that
 * is already a target being drawn again. This is NetworkX's construction before its seed graph
 * became a star on m+1 nodes; the two give the same graphs up to relabelling. The edge count is
 * {@code m*(n-m)}, every node from {@code m} on has exactly {@code m} predecessors (so degree at
 * least {@code m}), and the inputs are nodes {@code 0..m-1}.
 */
public final class BarabasiAlbert {
    private BarabasiAlbert() {
    }

    /**
     * A Barabasi-Albert graph, oriented low -> high.
     *
     * @param n nodes, above {@code m}
     * @param m edges each new node brings, at least 1
     * @param random the only source of randomness; the same seed gives the same graph
     * @throws IllegalArgumentException one line naming the parameter and its fault
     */
    public static RandomDag generate(int n, int m, Random random) {
        if (m < 1) {
            throw new IllegalArgumentException("m is " + m + ", must be at least 1");
        }
        if (n <= m) {
            throw new IllegalArgumentException("n is " + n + ", must be above m = " + m);
        }
        if (random == null) {
            throw new IllegalArgumentException("random is null; pass a seeded java.util.Random");
        }
        SimpleGraph g = new SimpleGraph(n);
        // every edge end once: a node appears as often as its degree, so a uniform pick is
        // a pick proportional to degree
        int[] ends = new int[2 * m * (n - m)];
        int endCount = 0;
        for (int t = 0; t < m; t++) {
            g.addEdge(m, t);
            ends[endCount++] = m;
            ends[endCount++] = t;
        }
        int[] targets = new int[m];
        for (int v = m + 1; v < n; v++) {
            int chosen = 0;
            while (chosen < m) {
                int t = ends[random.nextInt(endCount)];
                if (!g.hasEdge(v, t)) {
                    g.addEdge(v, t);
                    targets[chosen++] = t;
                }
            }
            // the new ends join only now, so v's draws see the degrees from before v arrived
            for (int t : targets) {
                ends[endCount++] = v;
                ends[endCount++] = t;
            }
        }
        return g.oriented();
    }
}
