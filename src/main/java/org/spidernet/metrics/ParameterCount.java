package org.spidernet.metrics;

import org.spidernet.exec.ExecutionPlan;

import java.util.Set;

/**
 * Number of trainable parameters of the genome at its own width (gates excluded), a baseline
 * proxy. Switched-off edges count as empty: their ops' parameters are not part of the network
 * that runs. Higher is better (larger networks of a search space tend to train to higher accuracy).
 */
public final class ParameterCount implements TrainFreeMetric {
    public static final String NAME = "params";

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
        return MetricResult.of(NAME, plan.parameterCount(), "");
    }
}
