package org.spidernet.metrics;

import org.spidernet.exec.ExecutionPlan;

import java.util.Set;

/**
 * Multiply-accumulates of one forward pass per image (convolutions and heads), the FLOPs baseline
 * proxy, of the genome at its own width. Switched-off edges count as empty: their ops are not
 * computed. Higher is better.
 */
public final class MacCount implements TrainFreeMetric {
    public static final String NAME = "macs";

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
        ExecutionPlan plan = ExecutionPlan.compile(ScoringNetwork.withEdgesEmptied(ctx.genome(), switchedOff), 1,
                ctx.backend().bytesPerElement());
        return MetricResult.of(NAME, plan.forwardMacsPerImage(), "");
    }
}
