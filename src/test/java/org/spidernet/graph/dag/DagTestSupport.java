package org.spidernet.graph.dag;

import java.util.Random;

/** Relabelling and vertex removal written out from the public API, for checks independent of the package's bit moves. */
final class DagTestSupport {
    private DagTestSupport() {
    }

    /** 0..n-1 in a random order. */
    static int[] shuffled(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code d} with vertex v renamed {@code perm[v]}. */
    static Dag relabel(Dag d, int[] perm) {
        int[][] edges = d.edges();
        int[][] moved = new int[edges.length][];
        for (int k = 0; k < edges.length; k++) {
            moved[k] = new int[]{perm[edges[k][0]], perm[edges[k][1]]};
        }
        return Dag.of(d.vertices(), moved);
    }

    /** {@code d} less vertex v and its edges, the vertices above v renumbered down by one. */
    static Dag withoutVertex(Dag d, int v) {
        return Dag.of(d.vertices() - 1, java.util.Arrays.stream(d.edges())
                .filter(e -> e[0] != v && e[1] != v)
                .map(e -> new int[]{e[0] > v ? e[0] - 1 : e[0], e[1] > v ? e[1] - 1 : e[1]})
                .toArray(int[][]::new));
    }

    /** {@code d} less the edge {@code e}. */
    static Dag withoutEdge(Dag d, int[] e) {
        return Dag.of(d.vertices(), java.util.Arrays.stream(d.edges())
                .filter(x -> x[0] != e[0] || x[1] != e[1]).toArray(int[][]::new));
    }
}
