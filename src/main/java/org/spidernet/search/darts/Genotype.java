package org.spidernet.search.darts;

import java.util.List;

/**
 * A derived DARTS architecture: for each of the normal and the reduction cell, two chosen
 * incoming edges per inner node, each with its op (never {@code none}). Edge {@code 2i} and
 * {@code 2i + 1} of a list feed inner node i; {@code from} is the state they read (0 and 1 the
 * cell's inputs, 2 + j inner node j &lt; i). The cell's output concatenates all four inner nodes.
 */
public record Genotype(List<Edge> normal, List<Edge> reduce) {

    /** One chosen edge: its op and the state it reads. */
    public record Edge(DartsOp op, int from) {
    }

    public Genotype {
        normal = List.copyOf(normal);
        reduce = List.copyOf(reduce);
        check("normal", normal);
        check("reduce", reduce);
    }

    private static void check(String cell, List<Edge> edges) {
        if (edges.size() != 2 * DartsSkeleton.NODES) {
            throw new IllegalArgumentException("genotype " + cell + " cell: " + edges.size() + " edges, expected "
                    + 2 * DartsSkeleton.NODES + " (two per inner node)");
        }
        for (int k = 0; k < edges.size(); k++) {
            Edge e = edges.get(k);
            int node = k / 2;
            if (e.op() == null || e.op() == DartsOp.NONE) {
                throw new IllegalArgumentException("genotype " + cell + " cell, edge " + k + ": op must be one of the seven non-none ops");
            }
            if (e.from() < 0 || e.from() >= node + 2) {
                throw new IllegalArgumentException("genotype " + cell + " cell, edge " + k + ": node " + node
                        + " can read states 0.." + (node + 1) + ", not " + e.from());
            }
        }
    }

    /** The edges of one cell kind. */
    public List<Edge> cell(boolean reduction) {
        return reduction ? reduce : normal;
    }
}
