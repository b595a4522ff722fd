package org.spidernet.search.darts;

import org.spidernet.graph.ir.Architecture;

/** A whole derived DARTS network: the skeleton and the genotype of its cells. */
public record DartsNetwork(DartsSkeleton skeleton, Genotype genotype) {

    public DartsNetwork {
        if (skeleton == null || genotype == null) {
            throw new IllegalArgumentException("DARTS network: skeleton and genotype are both needed");
        }
    }

    public Architecture lower() {
        return DartsLowering.derived(skeleton, genotype);
    }
}
