package org.spidernet.search.fade;

/**
 * One stage of FaDE's chain: the width its cell runs at and whether the stage halves the
 * resolution on entry.
 */
public record FadeStage(int channels, boolean reduction) {
    public FadeStage {
        if (channels < 1) {
            throw new IllegalArgumentException("FaDE stage: channels must be >= 1, got " + channels);
        }
    }
}
