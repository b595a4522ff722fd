package org.spidernet.graph.random;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A random graph after orientation: every undirected edge {u, v} points from the lower index to
 * the higher, as NAGO orients its Watts-Strogatz, Erdos-Renyi and Barabasi-Albert graphs. Ordering
 * by index is a topological order, so the result is acyclic by construction. Nodes without
 * predecessors are the graph's inputs, nodes without successors its outputs; a node with no edges
 * is both, a parallel path from the graph's input to its output once lowered.
 *
 * <p>Immutable; equal node counts and edge sets compare equal.
 */
public final class RandomDag {

    /** An oriented edge, {@code from < to}. Edges order by {@code from}, then {@code to}. */
    public record Edge(int from, int to) implements Comparable<Edge> {
        public Edge {
            if (from < 0) {
                throw new IllegalArgumentException("edge " + from + "->" + to + ": negative node index " + from);
            }
            if (from >= to) {
                throw new IllegalArgumentException("edge " + from + "->" + to + ": from must be below to (low -> high orientation)");
            }
        }

        @Override
        public int compareTo(Edge o) {
            return from != o.from ? Integer.compare(from, o.from) : Integer.compare(to, o.to);
        }
    }

    private final int nodes;
    private final List<Edge> edges;
    private final int[][] predecessors;
    private final int[][] successors;
    private final int[] inputs;
    private final int[] outputs;

    /**
     * The DAG on nodes {@code 0..nodes-1} with {@code edges}, in any order.
     *
     * @throws IllegalArgumentException one line: fewer than one node, a null edge list or edge, an
     *                                  edge naming a node outside 0..nodes-1, or an edge given twice
     */
    public RandomDag(int nodes, Collection<Edge> edges) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes is " + nodes + ", must be at least 1");
        }
        if (edges == null) {
            throw new IllegalArgumentException("edges is null (no edges is an empty list)");
        }
        List<Edge> sorted = new ArrayList<>(edges.size());
        for (Edge e : edges) {
            if (e == null) {
                throw new IllegalArgumentException("edges holds a null edge");
            }
            if (e.to() >= nodes) {
                throw new IllegalArgumentException("edge " + e.from() + "->" + e.to() + " names node " + e.to()
                        + ", outside 0.." + (nodes - 1));
            }
            sorted.add(e);
        }
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                Edge e = sorted.get(i);
                throw new IllegalArgumentException("edge " + e.from() + "->" + e.to() + " is given twice");
            }
        }
        this.nodes = nodes;
        this.edges = List.copyOf(sorted);

        int[] inDegree = new int[nodes];
        int[] outDegree = new int[nodes];
        for (Edge e : sorted) {
            outDegree[e.from()]++;
            inDegree[e.to()]++;
        }
        predecessors = new int[nodes][];
        successors = new int[nodes][];
        for (int v = 0; v < nodes; v++) {
            predecessors[v] = new int[inDegree[v]];
            successors[v] = new int[outDegree[v]];
        }
        // edges are sorted by (from, to), so both lists fill in ascending order
        int[] inFill = new int[nodes];
        int[] outFill = new int[nodes];
        for (Edge e : sorted) {
            successors[e.from()][outFill[e.from()]++] = e.to();
            predecessors[e.to()][inFill[e.to()]++] = e.from();
        }
        inputs = nodesWhere(inDegree);
        outputs = nodesWhere(outDegree);
    }

    /** The nodes whose count in {@code degree} is zero, ascending. */
    private static int[] nodesWhere(int[] degree) {
        int[] all = new int[degree.length];
        int count = 0;
        for (int v = 0; v < degree.length; v++) {
            if (degree[v] == 0) {
                all[count++] = v;
            }
        }
        return Arrays.copyOf(all, count);
    }

    public int nodes() {
        return nodes;
    }

    /** The edges, sorted by {@code from}, then {@code to}; unmodifiable. */
    public List<Edge> edges() {
        return edges;
    }

    public int edgeCount() {
        return edges.size();
    }

    /** The nodes with an edge into {@code v}, ascending. */
    public int[] predecessors(int v) {
        return predecessors[checkNode(v)].clone();
    }

    /** The nodes {@code v} has an edge to, ascending. */
    public int[] successors(int v) {
        return successors[checkNode(v)].clone();
    }

    /** The number of edges touching {@code v}, whatever their direction: its degree in the undirected graph. */
    public int degree(int v) {
        checkNode(v);
        return predecessors[v].length + successors[v].length;
    }

    /** The nodes without predecessors, ascending; never empty, since node 0 has none. */
    public int[] inputs() {
        return inputs.clone();
    }

    /** The nodes without successors, ascending; never empty, since the last node has none. */
    public int[] outputs() {
        return outputs.clone();
    }

    private int checkNode(int v) {
        if (v < 0 || v >= nodes) {
            throw new IllegalArgumentException("node " + v + " is outside 0.." + (nodes - 1));
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomDag d && d.nodes == nodes && d.edges.equals(edges);
    }

    @Override
    public int hashCode() {
        return 31 * nodes + edges.hashCode();
    }

    /** For example {@code 4:0-1,0-3,1-2}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(nodes).append(':');
        for (int i = 0; i < edges.size(); i++) {
            s.append(i == 0 ? "" : ",").append(edges.get(i).from()).append('-').append(edges.get(i).to());
        }
        return s.toString();
    }
}
