package org.spidernet.search.nago;

import org.spidernet.graph.random.RandomDag;

import java.util.List;

/**
 * A node of a NAGO cell: a bottom-level graph whose every node applies one op to the sum of its
 * predecessors (its inputs read the node's input), the node's output summing the graph's outputs.
 * Output nodes carry convs ({@link NagoOp#convs}).
 */
public record OpGraph(RandomDag graph, List<NagoOp> ops) {
    public OpGraph {
        ops = List.copyOf(ops);
        if (ops.size() != graph.nodes()) {
            throw new IllegalArgumentException("NAGO op graph: " + ops.size() + " ops for " + graph.nodes() + " nodes");
        }
        for (int v : graph.outputs()) {
            if (!ops.get(v).conv()) {
                throw new IllegalArgumentException("NAGO op graph: output node " + v + " must be a conv, is " + ops.get(v).jsonName());
            }
        }
    }
}
