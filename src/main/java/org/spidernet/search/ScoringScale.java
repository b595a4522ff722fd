package org.spidernet.search;

/**
 * How much data each train-free score sees. SpiderNet: NTK over 3 batches of 64 at width 3,
 * linear regions over 3 batches of 1000 crops at width 1. Small machines use less.
 */
public record ScoringScale(int ntkBatches, int ntkBatchSize, int lrcBatches, int lrcBatchSize) {
    public static final ScoringScale SPIDERNET = new ScoringScale(3, 64, 3, 1000);

    public ScoringScale {
        if (ntkBatches < 1 || ntkBatchSize < 2 || lrcBatches < 1 || lrcBatchSize < 2) {
            throw new IllegalArgumentException("scoring scale: every batch count must be >= 1 and size >= 2, got "
                    + "ntk " + ntkBatches + "x" + ntkBatchSize + ", lrc " + lrcBatches + "x" + lrcBatchSize);
        }
    }
}
