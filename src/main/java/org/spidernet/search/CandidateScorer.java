package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;

import java.util.Map;

/**
 * Train-free evaluation of a split: the child (split applied) against the parent (the same
 * network with the split's two new edges switched off), averaged over random initialisations.
 */
public interface CandidateScorer {

    /** Metric values for child and parent and their relative change, per metric name. */
    record Scores(Map<String, Double> child, Map<String, Double> parent, Map<String, Double> deltas) {
    }

    /**
     * Scores {@code split} applied to {@code current}. Throws {@link ScoringFailure} when a score
     * is not finite or the evaluation fails; the caller logs it and leaves the candidate out. A
     * device running out of memory may surface as a
     * {@link org.spidernet.backend.DeviceOutOfMemoryException} or as a failure caused by one; the
     * caller records the candidate as {@link CandidateDecision#OUT_OF_MEMORY} either way. Every
     * tensor the scoring allocated is freed when this returns or throws.
     */
    Scores score(Genome current, EdgeSplit split, long seed) throws ScoringFailure;

    /** Whether a higher value of the named metric is better. */
    boolean higherIsBetter(String metric);
}
