package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;

import org.spidernet.backend.DeviceOutOfMemoryException;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * One candidate's scores, or why it has none: {@link CandidateDecision#FAILED} or
     * {@link CandidateDecision#OUT_OF_MEMORY} with the reason.
     */
    record Outcome(Scores scores, CandidateDecision failure, String reason) {
        public Outcome {
            if ((scores == null) == (failure == null)) {
                throw new IllegalArgumentException("a scoring outcome is scores or a failure");
            }
        }

        public static Outcome of(Scores scores) {
            return new Outcome(scores, null, "");
        }

        public static Outcome failed(CandidateDecision why, String reason) {
            return new Outcome(null, why, reason);
        }
    }

    /**
     * Scores each of {@code splits} applied to {@code current} with the seed at the same position,
     * and returns the outcomes in that order. The default scores them one after the other; a
     * scorer backed by an evaluation service scores them at once.
     */
    default List<Outcome> scoreAll(Genome current, List<EdgeSplit> splits, List<Long> seeds) {
        List<Outcome> out = new ArrayList<>(splits.size());
        for (int i = 0; i < splits.size(); i++) {
            try {
                out.add(Outcome.of(score(current, splits.get(i), seeds.get(i))));
            } catch (ScoringFailure | DeviceOutOfMemoryException f) {
                // the scorer closes its networks, so a candidate too big to score leaves nothing behind
                DeviceOutOfMemoryException oom = DeviceOutOfMemoryException.in(f);
                out.add(oom != null
                        ? Outcome.failed(CandidateDecision.OUT_OF_MEMORY, "scoring ran out of device memory: " + oom.getMessage())
                        : Outcome.failed(CandidateDecision.FAILED, f.getMessage()));
            }
        }
        return out;
    }

    /** How many candidates are worth scoring at once ({@link #scoreAll}): 1 unless scored in parallel. */
    default int parallelism() {
        return 1;
    }

    /** Whether a higher value of the named metric is better. */
    boolean higherIsBetter(String metric);
}
