package org.spidernet.metrics;

import java.util.Set;

/**
 * snip (Lee et al. 2019, as scored by Abdelfattah et al. 2021): sum over every conv and linear
 * weight of |dL/dW * W|, L the cross-entropy of one batch ({@link WeightGradients}). Higher is
 * better.
 */
public final class Snip implements TrainFreeMetric {
    public static final String NAME = "snip";

    private final int width;
    private final int batchSize;

    /** One batch of 64 (the NAS-Bench-201 study) at the genome's own width. */
    public Snip() {
        this(0, 64);
    }

    /** @param width network width C for scoring; 0 keeps the genome's own */
    public Snip(int width, int batchSize) {
        if (width < 0 || batchSize < 1) {
            throw new IllegalArgumentException("snip: width " + width + ", batch size " + batchSize);
        }
        this.width = width;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public MetricResult score(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        double score = 0;
        for (WeightGradients.Layer l : WeightGradients.compute(ctx, width, batchSize, switchedOff)) {
            for (int i = 0; i < l.weight().length; i++) {
                score += Math.abs(l.grad()[i] * l.weight()[i]);
            }
        }
        return MetricResult.of(NAME, score, "the loss gradient overflows or is NaN");
    }
}
