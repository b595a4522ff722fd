package org.spidernet.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes, after pruning, every edge left without ops and every inner node that no longer has a
 * path from an input or to the output, with its edges; the surviving nodes are renumbered in
 * order. Input nodes and the output node always stay. If pruning cut the output off from every
 * input, the cell keeps its empty edges into the output (they compute zeros) rather than
 * becoming an illegal graph.
 */
public final class DeadEndRemoval {
    private DeadEndRemoval() {
    }

    public static Genome apply(Genome g) {
        Genome out = g;
        for (Cell c : g.cells()) {
            out = out.withCell(apply(c));
        }
        return out;
    }

    public static Cell apply(Cell c) {
        boolean[] fromIn = Reachability.fromInputs(c, true);
        boolean[] toOut = Reachability.reachesOutput(c, true);
        if (!fromIn[c.outputNode()]) {
            return c; // nothing live reaches the output: leave the zero-computing graph alone
        }
        int[] newIndex = new int[c.nodes()];
        int next = 0;
        for (int n = 0; n < c.nodes(); n++) {
            boolean keep = c.isInputNode(n) || n == c.outputNode() || (fromIn[n] && toOut[n]);
            newIndex[n] = keep ? next++ : -1;
        }
        List<Edge> edges = new ArrayList<>();
        for (Edge e : c.edges()) {
            int f = newIndex[e.from()];
            int t = newIndex[e.to()];
            if (f >= 0 && t >= 0 && !e.isEmpty() && fromIn[e.from()] && toOut[e.to()]) {
                edges.add(e.withEnds(f, t));
            }
        }
        return c.withEdges(next, edges);
    }
}
