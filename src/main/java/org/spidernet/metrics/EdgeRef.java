package org.spidernet.metrics;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;

import java.util.Set;

/** An edge of a genome, by cell and end nodes: every op on it is switched off together. */
public record EdgeRef(int cell, int from, int to) {

    /**
     * The two edges a split adds, numbered as in the child ({@link EdgeSplit#applyTo}):
     * {@code from -> to} and {@code to -> to+1}. Switching them off gives SpiderNet's parent.
     */
    public static Set<EdgeRef> newEdgesOf(EdgeSplit split) {
        return Set.of(new EdgeRef(split.cell(), split.from(), split.to()),
                new EdgeRef(split.cell(), split.to(), split.to() + 1));
    }

    /** Whether the genome has this edge. */
    public boolean existsIn(Genome g) {
        return cell >= 0 && cell < g.cells().size() && g.cell(cell).edgeIndex(from, to) >= 0;
    }

    @Override
    public String toString() {
        return "cell " + cell + " edge " + from + "->" + to;
    }
}
