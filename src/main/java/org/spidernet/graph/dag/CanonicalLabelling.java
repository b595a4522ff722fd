package org.spidernet.graph.dag;

import java.util.Arrays;

/**
 * The canonical labelling behind {@link Dag#canonical()}: the least adjacency code over the
 * vertex orders that an isomorphism-invariant colouring allows.
 *
 * <p>Trying all n! orders would be exact but slow (720 per 6-vertex DAG, 40320 at 8). Instead the
 * vertices are coloured by what an isomorphism preserves, starting from (longest path from a
 * source, in-degree, out-degree, longest path to a sink) and refined, as in colour refinement
 * (1-dimensional Weisfeiler-Leman): a vertex's new colour is the rank of (its colour, the sorted
 * colours of its predecessors, the sorted colours of its successors) among all such tuples, until
 * the number of colours stops growing. Only orders that list the colour classes in colour order
 * (any order within a class) are tried. Since isomorphic DAGs get corresponding colourings, they
 * get the same set of candidate codes and so the same least one: the result is canonical whatever
 * the refinement fails to split.
 *
 * <p>Depth (longest path from a source) is the most significant part of the first colour and each
 * rank keeps the order of the colour it refines, so every edge goes from a lower colour to a
 * higher one: every tried order is topological, and the canonical form is topologically labelled.
 *
 * <p>Two unused vertices of one class with the same predecessors and successors (twins, such as
 * the isolated vertices of an edgeless DAG) swap by an automorphism, so their orders give the same
 * codes and only the first is tried at each position.
 */
final class CanonicalLabelling {
    private CanonicalLabelling() {
    }

    /** The adjacency bits (bit {@code from * 8 + to}) of {@code dag}'s canonical form. */
    static long canonicalBits(Dag dag) {
        int n = dag.vertices();
        int[] pred = new int[n];
        int[] succ = new int[n];
        for (int v = 0; v < n; v++) {
            pred[v] = dag.predecessorMask(v);
            succ[v] = dag.successorMask(v);
        }
        int[] colour = refined(n, pred, succ, initialColours(pred, succ));
        int[] classAt = colour.clone(); // the colour position p must take: the colours in ascending order
        Arrays.sort(classAt);
        Search s = new Search(n, pred, succ, colour, classAt);
        s.place(0, 0, 0L);
        return s.best;
    }

    /** Ranks of (depth, in-degree, out-degree, height), depth most significant. */
    private static int[] initialColours(int[] pred, int[] succ) {
        int n = pred.length;
        int[] depth = new int[n];
        int[] height = new int[n];
        Arrays.fill(depth, -1);
        Arrays.fill(height, -1);
        long[] keys = new long[n];
        for (int v = 0; v < n; v++) {
            keys[v] = (long) longest(v, pred, depth) << 12 | Integer.bitCount(pred[v]) << 8
                    | Integer.bitCount(succ[v]) << 4 | longest(v, succ, height);
        }
        return ranks(keys);
    }

    /**
     * The edges on a longest path from {@code v} along {@code next} (predecessors: the depth,
     * from a source; successors: the height, to a sink), memoised in {@code known} (-1: not yet).
     */
    private static int longest(int v, int[] next, int[] known) {
        if (known[v] < 0) {
            int h = 0;
            for (int m = next[v]; m != 0; m &= m - 1) {
                h = Math.max(h, longest(Integer.numberOfTrailingZeros(m), next, known) + 1);
            }
            known[v] = h;
        }
        return known[v];
    }

    /**
     * Colour refinement until the number of colours is stable. A tuple (colour, sorted predecessor
     * colours, sorted successor colours) is packed into one long whose numeric order is the
     * tuples' lexicographic order: 3 bits of colour (at most 8 vertices, so colours 0..7), then
     * each sorted list as 7 digits of 4 bits, colour + 1 each and 0 after the list's end (a
     * shorter list that is a prefix of a longer one sorts first, as in lexicographic order).
     */
    private static int[] refined(int n, int[] pred, int[] succ, int[] colour) {
        int classes = distinct(colour);
        long[] keys = new long[n];
        while (true) {
            for (int v = 0; v < n; v++) {
                keys[v] = (long) colour[v] << 56 | digits(pred[v], colour) << 28 | digits(succ[v], colour);
            }
            int[] next = ranks(keys);
            int nextClasses = distinct(next);
            if (nextClasses == classes) {
                return colour; // the same partition: further rounds change nothing
            }
            colour = next;
            classes = nextClasses;
        }
    }

    /** The colours of {@code mask}'s vertices, sorted, as 7 digits of 4 bits (colour + 1), most significant first. */
    private static long digits(int mask, int[] colour) {
        long histogram = 0; // 4 bits per colour: how many of mask's vertices have it (at most 7)
        for (int m = mask; m != 0; m &= m - 1) {
            histogram += 1L << (4 * colour[Integer.numberOfTrailingZeros(m)]);
        }
        long d = 0;
        int written = 0;
        for (int c = 0; c < Dag.MAX_VERTICES; c++) {
            for (long k = (histogram >>> (4 * c)) & 0xF; k > 0; k--) {
                d = d << 4 | (c + 1);
                written++;
            }
        }
        return d << (4 * (7 - written));
    }

    /** Each key's rank among the distinct keys in ascending order. */
    private static int[] ranks(long[] keys) {
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int k = 0; k < sorted.length; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                sorted[distinct++] = sorted[k];
            }
        }
        int[] rank = new int[keys.length];
        for (int v = 0; v < keys.length; v++) {
            rank[v] = Arrays.binarySearch(sorted, 0, distinct, keys[v]);
        }
        return rank;
    }

    private static int distinct(int[] colour) {
        int seen = 0;
        for (int c : colour) {
            seen |= 1 << c;
        }
        return Integer.bitCount(seen);
    }

    /** The depth-first walk over the colour-respecting orders, keeping the least code. */
    private static final class Search {
        private final int n;
        private final int[] pred;
        private final int[] succ;
        private final int[] colour;
        private final int[] classAt;
        private final int[] position; // vertex -> its position in the current order
        long best = Long.MAX_VALUE; // bit 63 would be the self-loop 7->7, so every code is below it

        Search(int n, int[] pred, int[] succ, int[] colour, int[] classAt) {
            this.n = n;
            this.pred = pred;
            this.succ = succ;
            this.colour = colour;
            this.classAt = classAt;
            this.position = new int[n];
        }

        /** Positions below {@code p} hold the vertices in {@code used}; {@code code} holds their edges. */
        void place(int p, int used, long code) {
            if (p == n) {
                best = Math.min(best, code);
                return;
            }
            int tried = 0;
            for (int v = 0; v < n; v++) {
                if ((used & (1 << v)) != 0 || colour[v] != classAt[p] || twinOfTried(v, tried)) {
                    continue;
                }
                tried |= 1 << v;
                position[v] = p;
                long c = code;
                // every predecessor has a lower colour, so it is placed already
                for (int m = pred[v]; m != 0; m &= m - 1) {
                    c |= 1L << Dag.bit(position[Integer.numberOfTrailingZeros(m)], p);
                }
                place(p + 1, used | (1 << v), c);
            }
        }

        private boolean twinOfTried(int v, int tried) {
            for (int m = tried; m != 0; m &= m - 1) {
                int u = Integer.numberOfTrailingZeros(m);
                if (pred[u] == pred[v] && succ[u] == succ[v]) {
                    return true;
                }
            }
            return false;
        }
    }
}
