package org.spidernet.search.autospace;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;

/**
 * The supernet of {@link CellChoices}: each layer's K cells read the layer's entry and are summed
 * under row l of the alpha group {@link #ALPHAS} (softmax or Gumbel). What an evolution step
 * trains, and what DARTS trains over a learned space.
 */
public record AutoMix(CellChoices choices, AlphaGroup.Mixing mixing) {
    public static final String ALPHAS = "autospace";

    public AutoMix {
        if (choices == null || mixing == null) {
            throw new IllegalArgumentException("AutoSpace mix: choices and mixing are needed");
        }
    }

    public Architecture lower() {
        return AutoSpaceLowering.mix(this);
    }
}
