package org.spidernet.search.autospace;

import org.spidernet.graph.GenomeRanges;

/**
 * One layer of AutoSpace's target network: its width and the stride its entry applies before
 * the layer's cell (which runs at stride 1). Widths stop at {@link GenomeRanges#MAX_CHANNELS}, as
 * DARTS's do: far wider ones overflow the plan's parameter count.
 */
public record TargetLayer(int channels, int stride) {
    public TargetLayer {
        if (channels < 1 || channels > GenomeRanges.MAX_CHANNELS) {
            throw new IllegalArgumentException("AutoSpace layer: channels must be in 1.." + GenomeRanges.MAX_CHANNELS + ", got "
                    + channels);
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("AutoSpace layer: stride must be 1 or 2, got " + stride);
        }
    }
}
