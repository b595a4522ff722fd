package org.spidernet.search.autospace;

import org.spidernet.search.darts.DartsOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A cell of AutoSpace's layer populations: a DAG over the cell's input (vertex 0) and
 * {@value #NODES} nodes (vertices 1..4), one op per edge. Every node reads one or two distinct
 * earlier vertices (node 1 only the input) and sums its edges' outputs; the cell's output sums
 * its loose ends, the nodes nothing reads (node 4 always is one). The ops are DARTS's seven
 * (without "none"), all at stride 1 and the cell's width.
 *
 * <p>Immutable; edges are kept sorted by (to, from), so two cells with the same edges are equal.
 * The compact form {@link #code()} (e.g. {@code 0>1:sep_conv_3x3 0>2:skip_connect 1>2:max_pool_3x3 ...})
 * is what JSON files hold. Relabelled copies of one cell count as different cells.
 */
public record AutoCell(List<Edge> edges) {
    /** Nodes of a cell (vertices 1..NODES; vertex 0 is the input). */
    public static final int NODES = 4;
    /** Inputs a node reads at most. */
    public static final int MAX_INPUTS = 2;

    /** One edge: the op applied to vertex {@code from}'s value, summed into vertex {@code to}. */
    public record Edge(int from, int to, DartsOp op) {
        public Edge {
            if (op == null || op == DartsOp.NONE) {
                throw new IllegalArgumentException("AutoSpace cell: edge " + from + ">" + to + " needs an op other than none");
            }
            if (to < 1 || to > NODES || from < 0 || from >= to) {
                throw new IllegalArgumentException("AutoSpace cell: edge " + from + ">" + to + " must run from a vertex in 0.."
                        + (NODES - 1) + " to a later node in 1.." + NODES);
            }
        }

        String code() {
            return from + ">" + to + ":" + op.jsonName();
        }
    }

    public AutoCell {
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort(Comparator.comparingInt(Edge::to).thenComparingInt(Edge::from));
        edges = List.copyOf(sorted);
        int[] in = new int[NODES + 1];
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            if (i > 0 && edges.get(i - 1).to() == e.to() && edges.get(i - 1).from() == e.from()) {
                throw new IllegalArgumentException("AutoSpace cell: node " + e.to() + " reads vertex " + e.from() + " twice");
            }
            in[e.to()]++;
        }
        for (int v = 1; v <= NODES; v++) {
            if (in[v] < 1 || in[v] > MAX_INPUTS) {
                throw new IllegalArgumentException("AutoSpace cell: node " + v + " must read 1 or " + MAX_INPUTS
                        + " earlier vertices, reads " + in[v]);
            }
        }
    }

    /** The ops a cell's edges may carry: DARTS's, less "none". */
    public static List<DartsOp> ops() {
        return Arrays.stream(DartsOp.values()).filter(o -> o != DartsOp.NONE).toList();
    }

    /** The edges into node {@code v}, by source. */
    public List<Edge> into(int v) {
        return edges.stream().filter(e -> e.to() == v).toList();
    }

    /** The nodes no edge reads, in order: the cell's output is their sum. */
    public int[] looseEnds() {
        boolean[] read = new boolean[NODES + 1];
        for (Edge e : edges) {
            read[e.from()] = true;
        }
        return java.util.stream.IntStream.rangeClosed(1, NODES).filter(v -> !read[v]).toArray();
    }

    /** This cell with edge {@code i} (in {@link #edges()} order) replaced. */
    public AutoCell with(int i, Edge replacement) {
        List<Edge> list = new ArrayList<>(edges);
        list.set(i, replacement);
        return new AutoCell(list);
    }

    /** The compact form: edges as {@code from>to:op}, separated by spaces. */
    public String code() {
        return String.join(" ", edges.stream().map(Edge::code).toList());
    }

    /** Reads {@link #code()}; an {@link IllegalArgumentException} naming the faulty part otherwise. */
    public static AutoCell parse(String code) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("AutoSpace cell: empty");
        }
        List<Edge> list = new ArrayList<>();
        for (String part : code.trim().split("\\s+")) {
            int arrow = part.indexOf('>');
            int colon = part.indexOf(':');
            if (arrow < 1 || colon < arrow + 2 || colon == part.length() - 1) {
                throw new IllegalArgumentException("AutoSpace cell: edge '" + org.spidernet.io.Quoted.of(part)
                        + "' is not FROM>TO:OP");
            }
            int from;
            int to;
            try {
                from = Integer.parseInt(part.substring(0, arrow));
                to = Integer.parseInt(part.substring(arrow + 1, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("AutoSpace cell: edge '" + org.spidernet.io.Quoted.of(part)
                        + "' has a vertex that is not a number");
            }
            list.add(new Edge(from, to, DartsOp.fromName(part.substring(colon + 1))));
        }
        return new AutoCell(list);
    }

    @Override
    public String toString() {
        return code();
    }
}
