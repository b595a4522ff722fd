package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.Architecture;

import java.util.List;

/** One architecture of FaDE's space: a cell (a DAG of the library) per stage of the skeleton. */
public record FadeNetwork(FadeSkeleton skeleton, List<Dag> cells) {
    public FadeNetwork {
        cells = List.copyOf(cells);
        if (cells.size() != skeleton.size()) {
            throw new IllegalArgumentException("FaDE network: " + cells.size() + " cells for " + skeleton.size() + " stages");
        }
    }

    public Architecture lower() {
        return FadeLowering.network(this);
    }
}
