package org.spidernet.search.darts;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;

/** The network a DARTS search trains: its skeleton and how each edge mixes its ops. */
public record DartsSupernet(DartsSkeleton skeleton, AlphaGroup.Mixing mixing) {

    public DartsSupernet {
        if (skeleton == null || mixing == null) {
            throw new IllegalArgumentException("DARTS supernet: skeleton and mixing are both needed");
        }
    }

    public Architecture lower() {
        return DartsLowering.supernet(skeleton, mixing);
    }
}
