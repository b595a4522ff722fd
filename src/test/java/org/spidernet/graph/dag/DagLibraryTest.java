package org.spidernet.graph.dag;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DagLibraryTest {

    /** OEIS A003087, unlabelled DAGs on n = 1..6 vertices, as published. */
    private static final int[] A003087 = {1, 2, 6, 31, 302, 5984};

    /**
     * The number of isomorphism classes of DAGs on n vertices, by a different algorithm than the
     * library's: every upper-triangular matrix's least full n x n adjacency code over all n!
     * vertex permutations (no colours, no topological restriction), counted when distinct.
     */
    static int bruteForceClasses(int n) {
        List<int[]> perms = permutations(n);
        int pairs = n * (n - 1) / 2;
        // target[p][k]: the code bit that upper pair k (i < j) lands on under permutation p
        int[][] target = new int[perms.size()][pairs];
        for (int p = 0; p < perms.size(); p++) {
            int[] perm = perms.get(p);
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    target[p][k++] = perm[i] * n + perm[j];
                }
            }
        }
        Set<Long> minima = new HashSet<>();
        for (int mask = 0; mask < 1 << pairs; mask++) {
            long least = Long.MAX_VALUE;
            for (int[] t : target) {
                long code = 0;
                for (int m = mask; m != 0; m &= m - 1) {
                    code |= 1L << t[Integer.numberOfTrailingZeros(m)];
                }
                least = Math.min(least, code);
            }
            minima.add(least);
        }
        return minima.size();
    }

    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], 0, 0, out);
        return out;
    }

    private static void permute(int[] perm, int at, int used, List<int[]> out) {
        if (at == perm.length) {
            out.add(perm.clone());
            return;
        }
        for (int v = 0; v < perm.length; v++) {
            if ((used & (1 << v)) == 0) {
                perm[at] = v;
                permute(perm, at + 1, used | (1 << v), out);
            }
        }
    }

    @Test
    void countsPerVertexCountEqualABruteForceCountAndThePublishedOnes() {
        DagLibrary all = DagLibrary.of(1, 6);
        for (int n = 1; n <= 6; n++) {
            assertEquals(bruteForceClasses(n), all.count(n), "n=" + n + ": library against all-permutations brute force");
            assertEquals(A003087[n - 1], all.count(n), "n=" + n + ": library against OEIS A003087");
        }
        assertEquals(1 + 2 + 6 + 31 + 302 + 5984, all.size());
        assertEquals(0, all.count(7));
    }

    @Test
    void fadesLibraryIsThreeToSixVertices() {
        DagLibrary fade = DagLibrary.fade();
        assertEquals(3, DagLibrary.FADE_MIN);
        assertEquals(6, DagLibrary.FADE_MAX);
        assertEquals(List.of(3, 6), List.of(fade.minVertices(), fade.maxVertices()));
        assertEquals(6 + 31 + 302 + 5984, fade.size());
        assertEquals(0, fade.count(2));
        assertSame(fade, DagLibrary.fade(), "built once");
        assertEquals(fade.all(), DagLibrary.of(3, 6).all(), "the order is deterministic");
    }

    @Test
    void entriesArePairwiseNonIsomorphicCanonicalTopologicalAndInLibraryOrder() {
        DagLibrary fade = DagLibrary.fade();
        Set<String> codes = new HashSet<>();
        Dag previous = null;
        for (int i = 0; i < fade.size(); i++) {
            Dag d = fade.get(i);
            assertEquals(d, d.canonical(), d + " is its own canonical form");
            assertTrue(d.isTopologicallyLabelled(), d + " is topologically labelled");
            assertTrue(codes.add(d.canonical().code()), d + " appears twice");
            assertEquals(i, fade.indexOf(d));
            if (previous != null) {
                int byVertices = Integer.compare(previous.vertices(), d.vertices());
                int byEdges = Integer.compare(previous.edgeCount(), d.edgeCount());
                assertTrue(byVertices < 0 || byVertices == 0 && (byEdges < 0 || byEdges == 0 && previous.code().compareTo(d.code()) < 0),
                        previous + " before " + d);
            }
            previous = d;
        }
        assertEquals("3:", fade.get(0).code());
        assertEquals("6:0-1,0-2,0-3,0-4,0-5,1-2,1-3,1-4,1-5,2-3,2-4,2-5,3-4,3-5,4-5", fade.get(fade.size() - 1).code());
    }

    @Test
    void containsAndIndexOfAcceptAnyLabelling() {
        DagLibrary fade = DagLibrary.fade();
        Dag chain = Dag.of(4, new int[][]{{3, 1}, {1, 2}, {2, 0}}); // 3 -> 1 -> 2 -> 0, not topologically labelled
        assertTrue(fade.contains(chain));
        int at = fade.indexOf(chain);
        assertEquals(Dag.parse("4:0-1,1-2,2-3"), fade.get(at));
        assertEquals(-1, fade.indexOf(Dag.parse("2:0-1")), "2 vertices are outside 3..6");
        assertFalse(fade.contains(Dag.parse("7:")));
        assertEquals(-1, DagLibrary.of(3, 4).indexOf(Dag.parse("5:0-1")));
    }

    @Test
    void badBoundsAreRefusedNamingThem() {
        for (int[] b : new int[][]{{0, 3}, {3, 7}, {5, 4}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DagLibrary.of(b[0], b[1]));
            assertEquals("a DAG library needs 1 <= min <= max <= 6 vertices, got min " + b[0] + ", max " + b[1], e.getMessage());
        }
    }
}
