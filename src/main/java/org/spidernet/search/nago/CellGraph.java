package org.spidernet.search.nago;

import org.spidernet.graph.random.RandomDag;

import java.util.List;

/**
 * A NAGO cell: a mid-level graph whose every node is an {@link OpGraph} reading the sum of its
 * predecessors' outputs (its inputs read the cell's input); the cell's output sums the graph's outputs.
 */
public record CellGraph(RandomDag graph, List<OpGraph> nodes) {
    public CellGraph {
        nodes = List.copyOf(nodes);
        if (nodes.size() != graph.nodes()) {
            throw new IllegalArgumentException("NAGO cell: " + nodes.size() + " op graphs for " + graph.nodes() + " nodes");
        }
    }
}
