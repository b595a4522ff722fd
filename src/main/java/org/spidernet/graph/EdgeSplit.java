package org.spidernet.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * The SpiderNet mutation: split edge {@code from -> to} of one cell by inserting a new node at
 * index {@code to}. Every node {@code >= to} moves up by one; the new edges {@code from -> to}
 * and {@code to -> to+1} carry all seven candidate ops; the original edge, with whatever op set
 * pruning left it, becomes the parallel skip {@code from -> to+1}. The new node's BatchNorm is
 * implied by the node itself.
 */
public record EdgeSplit(int cell, int from, int to) {

    public Genome applyTo(Genome g) {
        if (cell < 0 || cell >= g.cells().size()) {
            throw new IllegalArgumentException("split: no cell " + cell + " (genome has " + g.cells().size() + ")");
        }
        Cell c = g.cell(cell);
        int idx = c.edgeIndex(from, to);
        if (idx < 0) {
            throw new IllegalArgumentException("split: cell " + cell + " has no edge " + from + "->" + to);
        }
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < c.edges().size(); i++) {
            Edge e = c.edges().get(i);
            int f = e.from() >= to ? e.from() + 1 : e.from();
            int t = e.to() >= to ? e.to() + 1 : e.to();
            edges.add(e.withEnds(f, t)); // the split edge itself becomes from -> to+1, the skip
        }
        edges.add(Edge.full(from, to));
        edges.add(Edge.full(to, to + 1));
        return g.withCell(c.withEdges(c.nodes() + 1, edges));
    }

    /** Every split possible in the genome right now: one per edge of every cell. */
    public static List<EdgeSplit> candidates(Genome g, int cell) {
        List<EdgeSplit> list = new ArrayList<>();
        for (Edge e : g.cell(cell).edges()) {
            list.add(new EdgeSplit(cell, e.from(), e.to()));
        }
        return list;
    }

    @Override
    public String toString() {
        return "split cell " + cell + " edge " + from + "->" + to;
    }
}
