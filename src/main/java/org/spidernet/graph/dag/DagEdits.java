package org.spidernet.graph.dag;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The edit neighbourhood of a cell DAG, for drawing new candidate cells near a winner: the DAG
 * classes one edit away, where an edit adds an edge (keeping the graph acyclic), removes an edge,
 * adds a vertex (isolated, or joined by one edge to or from an existing vertex) or removes a vertex
 * with its edges. Every class of 3..6 vertices is reachable from the 3-vertex chain by such edits
 * within that range, so a walk can reach the whole library.
 */
public final class DagEdits {
    private DagEdits() {
    }

    /**
     * Every canonical DAG one edit from {@code d} with {@code minVertices..maxVertices} vertices,
     * each class once, {@code d}'s own class left out, sorted by {@link Dag#code()}.
     *
     * @throws IllegalArgumentException unless 1 <= minVertices <= maxVertices <= 8
     */
    public static List<Dag> neighbours(Dag d, int minVertices, int maxVertices) {
        Objects.requireNonNull(d, "d");
        checkBounds(minVertices, maxVertices);
        int n = d.vertices();
        long bits = d.bits();
        Set<Dag> found = new HashSet<>();
        if (n >= minVertices && n <= maxVertices) {
            int[] reach = reachable(d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    long e = 1L << Dag.bit(i, j);
                    if ((bits & e) != 0) {
                        found.add(Dag.ofBits(n, bits & ~e).canonical());
                    } else if (i != j && (reach[j] & (1 << i)) == 0) { // i -> j closes no cycle unless j reaches i
                        found.add(Dag.ofBits(n, bits | e).canonical());
                    }
                }
            }
        }
        if (n + 1 >= minVertices && n + 1 <= maxVertices) {
            found.add(Dag.ofBits(n + 1, bits).canonical()); // the new vertex n, isolated
            for (int u = 0; u < n; u++) {
                found.add(Dag.ofBits(n + 1, bits | 1L << Dag.bit(u, n)).canonical());
                found.add(Dag.ofBits(n + 1, bits | 1L << Dag.bit(n, u)).canonical());
            }
        }
        if (n - 1 >= minVertices && n - 1 <= maxVertices) {
            for (int v = 0; v < n; v++) {
                found.add(Dag.ofBits(n - 1, without(d, v)).canonical());
            }
        }
        found.remove(d.canonical());
        Map<String, Dag> byCode = new TreeMap<>(); // each code built once, not once per comparison
        for (Dag f : found) {
            byCode.put(f.code(), f);
        }
        return List.copyOf(byCode.values());
    }

    private static void checkBounds(int minVertices, int maxVertices) {
        if (minVertices < 1 || maxVertices > Dag.MAX_VERTICES || minVertices > maxVertices) {
            throw new IllegalArgumentException("DAG edits need 1 <= min <= max <= " + Dag.MAX_VERTICES
                    + " vertices, got min " + minVertices + ", max " + maxVertices);
        }
    }

    /** reach[v]: bit w set when a path of one or more edges leads from v to w. */
    private static int[] reachable(Dag d) {
        int[] order = d.topologicalOrder();
        int[] reach = new int[d.vertices()];
        for (int k = order.length - 1; k >= 0; k--) { // successors are settled first
            int v = order[k];
            for (int m = d.successorMask(v); m != 0; m &= m - 1) {
                int w = Integer.numberOfTrailingZeros(m);
                reach[v] |= (1 << w) | reach[w];
            }
        }
        return reach;
    }

    /** The adjacency bits of {@code d} less vertex {@code v}, the vertices above it moved down one. */
    private static long without(Dag d, int v) {
        long out = 0;
        for (int[] e : d.edges()) {
            if (e[0] != v && e[1] != v) {
                out |= 1L << Dag.bit(e[0] > v ? e[0] - 1 : e[0], e[1] > v ? e[1] - 1 : e[1]);
            }
        }
        return out;
    }

    /**
     * {@code steps} moves, each to a uniformly drawn {@link #neighbours} entry; stops early, where
     * it stands, at a DAG without neighbours. A function of {@code d}, {@code steps} and
     * {@code rnd}'s state alone (the neighbour lists are sorted), so a seeded walk repeats.
     * The result is canonical after at least one move, {@code d} itself otherwise.
     */
    public static Dag randomWalk(Dag d, int steps, int minVertices, int maxVertices, RandomGenerator rnd) {
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(rnd, "rnd");
        checkBounds(minVertices, maxVertices);
        if (steps < 0) {
            throw new IllegalArgumentException("a random walk takes 0 or more steps, got " + steps);
        }
        Dag at = d;
        for (int s = 0; s < steps; s++) {
            List<Dag> next = neighbours(at, minVertices, maxVertices);
            if (next.isEmpty()) {
                return at;
            }
            at = next.get(rnd.nextInt(next.size()));
        }
        return at;
    }
}
