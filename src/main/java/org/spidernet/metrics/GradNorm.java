package org.spidernet.metrics;

import java.util.Set;

/**
 * grad_norm (Abdelfattah et al. 2021): sum over conv and linear weight tensors of the Euclidean
 * norm of dL/dW, L the cross-entropy of one batch ({@link WeightGradients}). Higher is better.
 */
public final class GradNorm implements TrainFreeMetric {
    public static final String NAME = "grad_norm";

    private final int width;
    private final int batchSize;

    /** One batch of 64 (the NAS-Bench-201 study) at the genome's own width. */
    public GradNorm() {
        this(0, 64);
    }

    /** @param width network width C for scoring; 0 keeps the genome's own */
    public GradNorm(int width, int batchSize) {
        if (width < 0 || batchSize < 1) {
            throw new IllegalArgumentException("grad_norm: width " + width + ", batch size " + batchSize);
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
            double sq = 0;
            for (double g : l.grad()) {
                sq += g * g;
            }
            score += Math.sqrt(sq);
        }
        return MetricResult.of(NAME, score, "the loss gradient overflows or is NaN");
    }
}
