package org.spidernet.metrics;

import java.util.Set;

/**
 * A train-free (zero-cost) score of an untrained network, computed from its genome: the metric
 * builds, initialises and runs whatever network it needs on the context's backend, and never
 * copies a trained model. Implementations are immutable and hold no state between calls, so one
 * instance can score any number of candidates; all randomness comes from the context's seed.
 */
public interface TrainFreeMetric {

    /** The registry name ({@code ntk}, {@code lrc}, ...); see {@link MetricRegistry}. */
    String name();

    /** Whether a larger score predicts a better network (false for the NTK condition number). */
    boolean higherIsBetter();

    /**
     * Scores the context's genome with the ops of the given edges switched off: those ops are not
     * computed and get no gradient, while every other weight has exactly the value it has in the
     * unmodified network under the same seed. SpiderNet's parent of a split is its child with the
     * two new edges switched off ({@link EdgeRef#newEdgesOf}); {@link ChildParentScores} scores
     * both.
     *
     * @throws IllegalArgumentException if an edge is not in the genome
     */
    MetricResult score(ScoringContext ctx, Set<EdgeRef> switchedOff);

    /** Scores the context's genome as it is. */
    default MetricResult score(ScoringContext ctx) {
        return score(ctx, Set.of());
    }
}
