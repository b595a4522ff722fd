package org.spidernet.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One cell of the network: its own DAG over {@code nodes} nodes. Nodes {@code 0 .. inputs-1} are
 * the dense inputs (the stem and every earlier cell), the highest-numbered node is the output,
 * and the rest are inner nodes. Edges are kept sorted by (to, from) so equal cells compare equal
 * and the node order is a topological order.
 */
public record Cell(int index, int inputs, int nodes, List<Edge> edges) {

    private static final Comparator<Edge> ORDER = Comparator.comparingInt(Edge::to).thenComparingInt(Edge::from);

    public Cell {
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort(ORDER);
        edges = List.copyOf(sorted);
    }

    /**
     * The initial cell: every input node has one edge to the first inner node (index = inputs),
     * which has one edge to the output node; all edges carry the seven candidate ops.
     */
    public static Cell initial(int index, int inputs) {
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            edges.add(Edge.full(i, inputs));
        }
        edges.add(Edge.full(inputs, inputs + 1));
        return new Cell(index, inputs, inputs + 2, edges);
    }

    public int outputNode() {
        return nodes - 1;
    }

    public boolean isInputNode(int node) {
        return node < inputs;
    }

    /** Cells after the first halve the resolution on the edges leaving their input nodes. */
    public boolean isReduction() {
        return index > 0;
    }

    /** Stride of an edge: 2 when it leaves an input node of a reduction cell, else 1. */
    public int strideOf(Edge e) {
        return isReduction() && isInputNode(e.from()) ? 2 : 1;
    }

    public List<Edge> incoming(int node) {
        List<Edge> in = new ArrayList<>();
        for (Edge e : edges) {
            if (e.to() == node) {
                in.add(e);
            }
        }
        return in;
    }

    public int edgeIndex(int from, int to) {
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            if (e.from() == from && e.to() == to) {
                return i;
            }
        }
        return -1;
    }

    public Cell withEdges(int newNodes, List<Edge> newEdges) {
        return new Cell(index, inputs, newNodes, newEdges);
    }

    /** Number of live ops over all edges. */
    public int opCount() {
        int n = 0;
        for (Edge e : edges) {
            n += e.ops().size();
        }
        return n;
    }
}
