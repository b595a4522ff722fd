package org.spidernet.metrics;

import org.spidernet.graph.EdgeSplit;

/**
 * One metric on a split's child and on its parent (the child with the split's two new edges
 * switched off), under one context, so both share every weight and every input. SpiderNet
 * compares them by {@link #relativeChange()}; averaging over inits is three contexts with three
 * seeds.
 */
public record ChildParentScores(MetricResult child, MetricResult parent) {

    /**
     * @param childCtx context whose genome is the child: {@code split.applyTo(parentGenome)}
     * @throws IllegalArgumentException if the child lacks the split's new edges
     */
    public static ChildParentScores score(TrainFreeMetric metric, ScoringContext childCtx, EdgeSplit split) {
        MetricResult child = metric.score(childCtx);
        MetricResult parent = metric.score(childCtx, EdgeRef.newEdgesOf(split));
        return new ChildParentScores(child, parent);
    }

    /** Whether both scores may be ranked. */
    public boolean usable() {
        return child.usable() && parent.usable();
    }

    /**
     * {@code (child - parent) / parent}; NaN unless both are usable. A parent score of 0 gives an
     * infinite or NaN change, which the caller must treat as it treats any non-finite number.
     */
    public double relativeChange() {
        return usable() ? (child.value() - parent.value()) / parent.value() : Double.NaN;
    }
}
