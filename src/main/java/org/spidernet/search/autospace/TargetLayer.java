package org.spidernet.search.autospace;

/**
 * One layer of AutoSpace's target network: its width and the stride its entry applies before
 * the layer's cell (which runs at stride 1).
 */
public record TargetLayer(int channels, int stride) {
    public TargetLayer {
        if (channels < 1) {
            throw new IllegalArgumentException("AutoSpace layer: channels must be >= 1, got " + channels);
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("AutoSpace layer: stride must be 1 or 2, got " + stride);
        }
    }
}
