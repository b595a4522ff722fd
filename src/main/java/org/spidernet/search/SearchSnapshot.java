package org.spidernet.search;

import org.spidernet.graph.Genome;
import org.spidernet.train.TrainerState;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a search exactly where it stopped: the phase and iteration, the
 * network being trained and (when some of its epochs are done) its weights, momentum and trainer
 * state; the per-iteration history; for random search the best sample so far. Taken after every
 * training epoch and every mutation round.
 */
public record SearchSnapshot(SearchPhase phase, int iteration, Genome genome, int epochsCompleted,
                             Map<String, double[]> tensors, TrainerState trainer, List<IterationRecord> history,
                             Genome best, double bestValidationAccuracy, String stopReason) {

    public SearchSnapshot {
        history = List.copyOf(history);
        tensors = tensors == null ? Map.of() : tensors;
    }
}
