package org.spidernet.search.autospace;

import org.spidernet.graph.ir.Architecture;

import java.util.List;

/** One network of AutoSpace's space: a cell per layer of the target. */
public record AutoNetwork(TargetNetwork target, List<AutoCell> cells) {
    public AutoNetwork {
        cells = List.copyOf(cells);
        if (cells.size() != target.size()) {
            throw new IllegalArgumentException("AutoSpace network: " + cells.size() + " cells for " + target.size() + " layers");
        }
    }

    public Architecture lower() {
        return AutoSpaceLowering.network(this);
    }
}
