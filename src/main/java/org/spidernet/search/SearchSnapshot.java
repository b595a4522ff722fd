package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.train.TrainerState;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a search exactly where it stopped: the phase and iteration, the
 * network being trained (in its space's JSON) and (when some of its epochs are done) its weights,
 * momentum and trainer state; the per-iteration history; for random search the best sample so far. Taken after every
 * training epoch and every mutation round.
 *
 * <p>For a device running out of memory it also carries what undoing the last growth needs: the
 * genome the network was grown from ({@code parent}, null when there is none to go back to) and
 * the splits that grew it ({@code grownBy}); the memory budget in force, which an out-of-memory
 * lowers below the configured one ({@link Long#MAX_VALUE} in checkpoints written before it was
 * recorded: the configured budget then applies); and how many rollbacks there have been.
 */
public record SearchSnapshot(SearchPhase phase, int iteration, SpaceNetwork network, int epochsCompleted,
                             Map<String, double[]> tensors, TrainerState trainer, List<IterationRecord> history,
                             Genome best, double bestValidationAccuracy, String stopReason,
                             Genome parent, List<EdgeSplit> grownBy, long memoryBudgetBytes, int outOfMemoryRollbacks) {

    public SearchSnapshot {
        history = List.copyOf(history);
        tensors = tensors == null ? Map.of() : tensors;
        grownBy = grownBy == null ? List.of() : List.copyOf(grownBy);
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes, got " + memoryBudgetBytes);
        }
    }

    /** The network being trained, for strategies over SpiderNet's genomes. */
    public Genome genome() {
        return network.genome();
    }

    /** This snapshot after {@code epochs} epochs of its network, with their weights and trainer state. */
    public SearchSnapshot afterEpochs(int epochs, Map<String, double[]> newTensors, TrainerState newTrainer) {
        return new SearchSnapshot(phase, iteration, network, epochs, newTensors, newTrainer, history, best,
                bestValidationAccuracy, stopReason, parent, grownBy, memoryBudgetBytes, outOfMemoryRollbacks);
    }
}
