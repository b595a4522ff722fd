package org.spidernet.graph;

/**
 * The ranges a network's initial channels C and reduction cells R must lie in: one rule and one
 * message each, checked by {@link GenomeValidator}, the train and search configurations and the
 * command line (which checks before any data is read), so they can never disagree.
 */
public final class GenomeRanges {
    private GenomeRanges() {
    }

    /** Most reduction cells: each halves the feature map, and 2^8 exceeds every supported image side. */
    public static final int MAX_REDUCTIONS = 8;

    /** Largest channel count accepted; beyond it a typo is likelier than intent. */
    public static final int MAX_CHANNELS = 1 << 14;

    /** Throws {@link IllegalArgumentException} unless {@code reductions} is in 0..{@value #MAX_REDUCTIONS}. */
    public static void checkReductions(int reductions) {
        if (reductions < 0 || reductions > MAX_REDUCTIONS) {
            throw new IllegalArgumentException("reductions must be in 0.." + MAX_REDUCTIONS + ", got " + reductions);
        }
    }

    /** Throws {@link IllegalArgumentException} unless {@code channels} is in 1..{@value #MAX_CHANNELS}. */
    public static void checkChannels(int channels) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be in 1.." + MAX_CHANNELS + ", got " + channels);
        }
    }
}
