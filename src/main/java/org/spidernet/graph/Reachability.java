package org.spidernet.graph;

/**
 * Forward and backward reachability over a cell's DAG. Because every edge goes from a lower to
 * a higher node index, one pass in index order suffices.
 */
final class Reachability {
    private Reachability() {
    }

    /** reached[n]: node n has a path from some input node (inputs reach themselves). */
    static boolean[] fromInputs(Cell c, boolean skipEmptyEdges) {
        boolean[] r = new boolean[c.nodes()];
        for (int i = 0; i < c.inputs(); i++) {
            r[i] = true;
        }
        for (Edge e : c.edges()) { // sorted by target, so sources are settled first
            if (r[e.from()] && !(skipEmptyEdges && e.isEmpty())) {
                r[e.to()] = true;
            }
        }
        return r;
    }

    /** reaches[n]: node n has a path to the output node. */
    static boolean[] reachesOutput(Cell c, boolean skipEmptyEdges) {
        boolean[] r = new boolean[c.nodes()];
        r[c.outputNode()] = true;
        for (int i = c.edges().size() - 1; i >= 0; i--) { // targets settled before sources
            Edge e = c.edges().get(i);
            if (r[e.to()] && !(skipEmptyEdges && e.isEmpty())) {
                r[e.from()] = true;
            }
        }
        return r;
    }
}
