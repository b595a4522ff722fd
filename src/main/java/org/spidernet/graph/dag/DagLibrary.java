package org.spidernet.graph.dag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every DAG with {@code minVertices} to {@code maxVertices} vertices, one per isomorphism class,
 * each in its canonical form: FaDE's library of cell shapes. Disconnected DAGs are included (in a
 * cell they become parallel branches). The classes per vertex count are OEIS A003087: 1 for n=1,
 * 2 for n=2, 6 for n=3, 31 for n=4, 302 for n=5 and 5984 for n=6, so FaDE's range 3..6 holds
 * 6323 DAGs.
 *
 * <p>Built by canonicalising every upper-triangular adjacency matrix of each size (every DAG has
 * a topological labelling, so these cover every class; 2^15 = 32768 for n=6) and keeping the
 * distinct results. Order: vertex count, then edge count, then {@link Dag#code()}, so an index is
 * stable across runs and machines. Immutable.
 */
public final class DagLibrary {
    /** FaDE's smallest cell DAG. */
    public static final int FADE_MIN = 3;
    /** FaDE's largest cell DAG: at 7 vertices there would be 243,668 classes (A003087). */
    public static final int FADE_MAX = 6;
    /** The largest library built here: 6 vertices is 2^15 matrices; 7 would be 2^21 and 8 2^28. */
    public static final int MAX_VERTICES = 6;

    private static final Comparator<Dag> ORDER = Comparator.comparingInt(Dag::vertices)
            .thenComparingInt(Dag::edgeCount).thenComparing(Dag::code);

    private final int minVertices;
    private final int maxVertices;
    private final List<Dag> all;
    private final Map<Dag, Integer> index;

    private DagLibrary(int minVertices, int maxVertices, List<Dag> all) {
        this.minVertices = minVertices;
        this.maxVertices = maxVertices;
        this.all = List.copyOf(all);
        Map<Dag, Integer> idx = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            idx.put(all.get(i), i);
        }
        this.index = Map.copyOf(idx);
    }

    /**
     * Every DAG class with {@code minVertices..maxVertices} vertices.
     *
     * @throws IllegalArgumentException unless 1 <= minVertices <= maxVertices <= 6
     */
    public static DagLibrary of(int minVertices, int maxVertices) {
        if (minVertices < 1 || maxVertices > MAX_VERTICES || minVertices > maxVertices) {
            throw new IllegalArgumentException("a DAG library needs 1 <= min <= max <= " + MAX_VERTICES
                    + " vertices, got min " + minVertices + ", max " + maxVertices);
        }
        List<Dag> all = new ArrayList<>();
        for (int n = minVertices; n <= maxVertices; n++) {
            all.addAll(classes(n));
        }
        all.sort(ORDER);
        return new DagLibrary(minVertices, maxVertices, all);
    }

    /** FaDE's library, 3 to 6 vertices (6323 DAGs). Built once (about a quarter of a second) and shared: it is immutable. */
    public static DagLibrary fade() {
        return Fade.LIBRARY;
    }

    /** Holder: the JVM builds FaDE's library on first use, once, thread-safely. */
    private static final class Fade {
        static final DagLibrary LIBRARY = of(FADE_MIN, FADE_MAX);
    }

    /** The canonical DAGs on {@code n} vertices, one per class. */
    private static Set<Dag> classes(int n) {
        int[] pairBit = new int[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairBit[k++] = Dag.bit(i, j);
            }
        }
        Set<Dag> seen = new HashSet<>();
        for (int mask = 0; mask < 1 << pairBit.length; mask++) {
            long bits = 0;
            for (int m = mask; m != 0; m &= m - 1) {
                bits |= 1L << pairBit[Integer.numberOfTrailingZeros(m)];
            }
            seen.add(Dag.ofBits(n, bits).canonical());
        }
        return seen;
    }

    /** Every DAG in library order; unmodifiable. */
    public List<Dag> all() {
        return all;
    }

    public int size() {
        return all.size();
    }

    /** How many DAGs have {@code vertices} vertices (0 outside the library's range). */
    public int count(int vertices) {
        int c = 0;
        for (Dag d : all) {
            if (d.vertices() == vertices) {
                c++;
            }
        }
        return c;
    }

    /** Whether {@code d}'s class is in the library, whatever its labelling. */
    public boolean contains(Dag d) {
        return indexOf(d) >= 0;
    }

    /** The index of {@code d}'s class (any labelling), or -1 when absent. */
    public int indexOf(Dag d) {
        if (d.vertices() < minVertices || d.vertices() > maxVertices) {
            return -1;
        }
        return index.getOrDefault(d.canonical(), -1);
    }

    public Dag get(int index) {
        return all.get(index);
    }

    public int minVertices() {
        return minVertices;
    }

    public int maxVertices() {
        return maxVertices;
    }
}
