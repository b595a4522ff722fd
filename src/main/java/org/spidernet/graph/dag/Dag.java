package org.spidernet.graph.dag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A labelled directed acyclic graph on 1 to 8 vertices: one of FaDE's cell shapes. The edges are
 * one {@code long}, bit {@code from * 8 + to} for the edge from {@code from} to {@code to}, so a
 * DAG is two numbers, compares and hashes in constant time and relabels with bit moves; 8
 * vertices is the most an 8x8 matrix fits in 64 bits. Immutable; every instance is acyclic.
 */
public final class Dag {
    /** The most vertices a DAG may have: its 8x8 adjacency matrix is one {@code long}. */
    public static final int MAX_VERTICES = 8;

    private final int vertices;
    private final long bits;

    private Dag(int vertices, long bits) {
        this.vertices = vertices;
        this.bits = bits;
    }

    /**
     * The DAG on {@code vertices} vertices (0..n-1) with {@code edges}, each {@code {from, to}}.
     *
     * @throws IllegalArgumentException one line naming the fault: a vertex count outside 1..8, an
     *                                  edge that is not two numbers or names a vertex outside 0..n-1, a self-loop, a duplicate
     *                                  edge, or a cycle (with its vertices)
     */
    public static Dag of(int vertices, int[][] edges) {
        checkVertexCount(vertices);
        if (edges == null) {
            throw new IllegalArgumentException("the edge list is null (no edges is an empty array)");
        }
        long bits = 0;
        for (int k = 0; k < edges.length; k++) {
            int[] e = edges[k];
            if (e == null || e.length != 2) {
                throw new IllegalArgumentException("edge " + k + " is " + (e == null ? "null" : Arrays.toString(e))
                        + ", expected two vertices {from, to}");
            }
            int from = e[0];
            int to = e[1];
            for (int v : e) {
                if (v < 0 || v >= vertices) {
                    throw new IllegalArgumentException("edge " + from + "->" + to + " names vertex " + v
                            + ", outside 0.." + (vertices - 1));
                }
            }
            if (from == to) {
                throw new IllegalArgumentException("edge " + from + "->" + to + " is a self-loop at vertex " + from);
            }
            long bit = 1L << bit(from, to);
            if ((bits & bit) != 0) {
                throw new IllegalArgumentException("edge " + from + "->" + to + " is given twice");
            }
            bits |= bit;
        }
        int[] cycle = cycle(vertices, bits);
        if (cycle != null) {
            StringBuilder s = new StringBuilder("the edges form a cycle through vertices ");
            for (int v : cycle) {
                s.append(v).append(" -> ");
            }
            throw new IllegalArgumentException(s.append(cycle[0]).toString());
        }
        return new Dag(vertices, bits);
    }

    /**
     * A DAG from its adjacency bits, for the library's generators, which build acyclic bits by
     * construction (upper-triangular masks, relabellings, single edits); checked all the same,
     * since a wrong bit here would silently corrupt the library.
     */
    static Dag ofBits(int vertices, long bits) {
        checkVertexCount(vertices);
        if ((bits & ~matrixMask(vertices)) != 0 || (bits & diagonal()) != 0 || !acyclic(vertices, bits)) {
            throw new IllegalArgumentException("adjacency bits " + Long.toHexString(bits) + " are not a DAG on "
                    + vertices + " vertices");
        }
        return new Dag(vertices, bits);
    }

    private static void checkVertexCount(int vertices) {
        if (vertices < 1 || vertices > MAX_VERTICES) {
            throw new IllegalArgumentException("a DAG has 1 to " + MAX_VERTICES + " vertices, got " + vertices);
        }
    }

    static int bit(int from, int to) {
        return from * MAX_VERTICES + to;
    }

    /** The bits of every pair (i, j) with i, j below {@code n}. */
    static long matrixMask(int n) {
        long row = (1L << n) - 1;
        long m = 0;
        for (int i = 0; i < n; i++) {
            m |= row << (i * MAX_VERTICES);
        }
        return m;
    }

    private static long diagonal() {
        long d = 0;
        for (int i = 0; i < MAX_VERTICES; i++) {
            d |= 1L << bit(i, i);
        }
        return d;
    }

    /**
     * Whether the edges are acyclic: peel off vertices without remaining predecessors until none
     * is left (acyclic) or none can go (a cycle). Bit operations only, for the generators' hot path.
     */
    private static boolean acyclic(int n, long bits) {
        int left = (1 << n) - 1;
        while (left != 0) {
            int ready = 0;
            for (int m = left; m != 0; m &= m - 1) {
                int v = Integer.numberOfTrailingZeros(m);
                long into = 0; // the column of v among the vertices still left
                for (int r = left; r != 0; r &= r - 1) {
                    into |= bits & (1L << bit(Integer.numberOfTrailingZeros(r), v));
                }
                if (into == 0) {
                    ready |= 1 << v;
                }
            }
            if (ready == 0) {
                return false;
            }
            left &= ~ready;
        }
        return true;
    }

    /** The vertices of one cycle in order, or null when the edges are acyclic (depth-first search). */
    private static int[] cycle(int n, long bits) {
        int[] state = new int[n]; // 0 unvisited, 1 on the current path, 2 done
        int[] path = new int[n];
        for (int start = 0; start < n; start++) {
            if (state[start] == 0) {
                int[] c = cycleFrom(start, n, bits, state, path, 0);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static int[] cycleFrom(int v, int n, long bits, int[] state, int[] path, int depth) {
        state[v] = 1;
        path[depth] = v;
        for (int w = 0; w < n; w++) {
            if ((bits & (1L << bit(v, w))) == 0) {
                continue;
            }
            if (state[w] == 1) { // back edge: the cycle is the path from w to v
                int at = 0;
                while (path[at] != w) {
                    at++;
                }
                return Arrays.copyOfRange(path, at, depth + 1);
            }
            if (state[w] == 0) {
                int[] c = cycleFrom(w, n, bits, state, path, depth + 1);
                if (c != null) {
                    return c;
                }
            }
        }
        state[v] = 2;
        return null;
    }

    /**
     * Reads {@link #code()}'s form, {@code vertices:from-to,from-to,...} ({@code 3:} for no edges).
     *
     * @throws IllegalArgumentException one line naming the text and the fault
     */
    public static Dag parse(String code) {
        if (code == null) {
            throw new IllegalArgumentException("a DAG code is required, got null");
        }
        int colon = code.indexOf(':');
        if (colon < 0) {
            throw malformed(code, "no ':' after the vertex count (expected e.g. 4:0-1,1-3)");
        }
        int n = number(code, code.substring(0, colon), "the vertex count");
        String rest = code.substring(colon + 1);
        List<int[]> edges = new ArrayList<>();
        if (!rest.isEmpty()) {
            for (String e : rest.split(",", -1)) {
                int dash = e.indexOf('-');
                if (dash < 0) {
                    throw malformed(code, "edge '" + e + "' is not from-to");
                }
                edges.add(new int[]{number(code, e.substring(0, dash), "edge '" + e + "'"),
                        number(code, e.substring(dash + 1), "edge '" + e + "'")});
            }
        }
        try {
            return of(n, edges.toArray(new int[0][]));
        } catch (IllegalArgumentException ex) {
            throw malformed(code, ex.getMessage());
        }
    }

    /** A vertex number or count: one or two decimal digits, so no overflow reaches the user as a NumberFormatException. */
    private static int number(String code, String text, String what) {
        if (!text.matches("[0-9]{1,2}")) {
            throw malformed(code, what + ": '" + text + "' is not a vertex number");
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException malformed(String code, String fault) {
        // one line even when the text has a line break (the fault may quote part of it)
        return new IllegalArgumentException(("cannot read DAG code '" + code + "': " + fault).replaceAll("\\R", " "));
    }

    public int vertices() {
        return vertices;
    }

    /** The adjacency bits, bit {@code from * 8 + to}, for the package's relabelling and edits. */
    long bits() {
        return bits;
    }

    public boolean hasEdge(int from, int to) {
        checkVertex(from);
        checkVertex(to);
        return (bits & (1L << bit(from, to))) != 0;
    }

    private void checkVertex(int v) {
        if (v < 0 || v >= vertices) {
            throw new IndexOutOfBoundsException("vertex " + v + " is outside 0.." + (vertices - 1));
        }
    }

    public int edgeCount() {
        return Long.bitCount(bits);
    }

    /** Every edge as {@code {from, to}}, sorted by (from, to); a fresh array. */
    public int[][] edges() {
        int[][] out = new int[edgeCount()][];
        int k = 0;
        for (long b = bits; b != 0; b &= b - 1) { // bit order is (from, to) order
            int i = Long.numberOfTrailingZeros(b);
            out[k++] = new int[]{i / MAX_VERTICES, i % MAX_VERTICES};
        }
        return out;
    }

    /** The vertices with an edge into {@code v}, ascending. */
    public int[] predecessors(int v) {
        checkVertex(v);
        return members(predecessorMask(v));
    }

    /** The vertices {@code v} has an edge to, ascending. */
    public int[] successors(int v) {
        checkVertex(v);
        return members(successorMask(v));
    }

    /** Bit u set when u -> v. */
    int predecessorMask(int v) {
        int m = 0;
        for (int u = 0; u < vertices; u++) {
            if ((bits & (1L << bit(u, v))) != 0) {
                m |= 1 << u;
            }
        }
        return m;
    }

    /** Bit w set when v -> w. */
    int successorMask(int v) {
        return (int) ((bits >>> (v * MAX_VERTICES)) & 0xFF);
    }

    private static int[] members(int mask) {
        int[] out = new int[Integer.bitCount(mask)];
        int k = 0;
        for (int m = mask; m != 0; m &= m - 1) {
            out[k++] = Integer.numberOfTrailingZeros(m);
        }
        return out;
    }

    /** The vertices without predecessors, ascending. */
    public int[] sources() {
        int m = 0;
        for (int v = 0; v < vertices; v++) {
            if (predecessorMask(v) == 0) {
                m |= 1 << v;
            }
        }
        return members(m);
    }

    /** The vertices without successors, ascending. */
    public int[] sinks() {
        int m = 0;
        for (int v = 0; v < vertices; v++) {
            if (successorMask(v) == 0) {
                m |= 1 << v;
            }
        }
        return members(m);
    }

    /** Every vertex after all its predecessors; among the ready ones the lowest first, so the order is a function of the DAG. */
    public int[] topologicalOrder() {
        int[] order = new int[vertices];
        int done = 0;
        for (int k = 0; k < vertices; k++) {
            for (int v = 0; v < vertices; v++) {
                if ((done & (1 << v)) == 0 && (predecessorMask(v) & ~done) == 0) {
                    order[k] = v;
                    done |= 1 << v;
                    break;
                }
            }
        }
        return order;
    }

    /** The number of edges on a longest path (0 without edges). */
    public int longestPath() {
        int[] depth = depths();
        return Arrays.stream(depth).max().orElse(0);
    }

    /** depth[v]: the edges on a longest path from a source to v. */
    int[] depths() {
        int[] depth = new int[vertices];
        for (int v : topologicalOrder()) {
            for (int m = successorMask(v); m != 0; m &= m - 1) {
                int w = Integer.numberOfTrailingZeros(m);
                depth[w] = Math.max(depth[w], depth[v] + 1);
            }
        }
        return depth;
    }

    /**
     * The representative of this DAG's isomorphism class ({@link CanonicalLabelling}): two DAGs
     * are isomorphic iff their canonical forms are equal, and in it every edge goes from a lower
     * to a higher vertex.
     */
    public Dag canonical() {
        long c = CanonicalLabelling.canonicalBits(this);
        return c == bits ? this : new Dag(vertices, c);
    }

    /** Whether every edge goes from a lower to a higher vertex. */
    public boolean isTopologicallyLabelled() {
        for (long b = bits; b != 0; b &= b - 1) {
            int i = Long.numberOfTrailingZeros(b);
            if (i / MAX_VERTICES >= i % MAX_VERTICES) {
                return false;
            }
        }
        return true;
    }

    /** The text form {@code vertices:from-to,...}, edges sorted, e.g. {@code 4:0-1,1-3,2-3}; {@link #parse} reads it. */
    public String code() {
        StringBuilder s = new StringBuilder().append(vertices).append(':');
        for (long b = bits; b != 0; b &= b - 1) {
            int i = Long.numberOfTrailingZeros(b);
            s.append(i / MAX_VERTICES).append('-').append(i % MAX_VERTICES);
            if ((b & (b - 1)) != 0) {
                s.append(',');
            }
        }
        return s.toString();
    }

    /** Equal labelled structure: the same vertex count and the same edges (not isomorphism: compare {@link #canonical()}s). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Dag d && d.vertices == vertices && d.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits * 31 + vertices);
    }

    @Override
    public String toString() {
        return code();
    }
}
