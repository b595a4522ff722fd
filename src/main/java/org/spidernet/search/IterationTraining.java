package org.spidernet.search;

import org.spidernet.backend.Backend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A search iteration's training, wherever it runs: in the run ({@link SearchContext#train}, with
 * snapshots after each epoch and resumable mid-way) or as a job ({@link TrainNetworkJob}, from
 * scratch). One home, so both give the same network and the same numbers.
 */
final class IterationTraining {
    private IterationTraining() {
    }

    /** A network of any space, as it is, planned for training at {@code batch}. */
    static ExecutionPlan plan(SpaceNetwork network, int batch, int bytesPerElement) {
        return ExecutionPlan.compile(ArchitectureSpaces.lower(network), batch, bytesPerElement, PlanOptions.TRAINING);
    }

    /** A trainer of {@code net} initialised from {@code tc}'s seed: the start of every network's training. */
    static Trainer fresh(Network net, TrainConfig tc, ImageDataset train, ChannelStats stats) {
        Trainer trainer = new Trainer(net, tc, train, stats);
        net.initialize(tc.seed(), InitScheme.FAN_IN);
        return trainer;
    }

    /** What the training gives, read while its network is still open. */
    interface Outcome<T> {
        T of(Network net, Trainer trainer, double validationAccuracy, long measuredPeakBytes);
    }

    /**
     * Binds {@code plan} on {@code backend}, makes its trainer with {@code prepare} (fresh or
     * restored), trains epochs {@code first} to {@code tc.epochs()} reporting to the listener made
     * for it, and returns {@code outcome}; the peak is measured from the bytes in use before binding.
     */
    static <T> T run(Backend backend, ExecutionPlan plan, TrainConfig tc, ImageDataset validation, int first,
                     Function<Network, Trainer> prepare, BiFunction<Network, Trainer, TrainingListener> listener,
                     Outcome<T> outcome) {
        long before = backend.memory().bytesInUse();
        backend.resetPeak();
        try (Network net = Network.bind(plan, backend)) {
            Trainer trainer = prepare.apply(net);
            List<EpochMetrics> h = trainer.runEpochs(first, tc.epochs(), validation, listener.apply(net, trainer));
            return outcome.of(net, trainer, h.get(h.size() - 1).validationAccuracy(), backend.memory().peakBytes() - before);
        }
    }

    /** {@link #run} of a SpiderNet genome with pruning: the trained genome and the same with the pruned ops taken off. */
    static TrainedNetwork genome(Backend backend, ExecutionPlan plan, Genome genome, TrainConfig tc, ImageDataset validation,
                                 int first, Function<Network, Trainer> prepare,
                                 BiFunction<Network, Trainer, TrainingListener> listener, long startNanos) {
        return run(backend, plan, tc, validation, first, prepare, listener, (net, trainer, accuracy, measured) ->
                new TrainedNetwork(genome, SearchContext.withoutPrunedOps(genome, net), accuracy, trainer.prunedCount(),
                        plan.parameterCount(), plan.memoryPlan().peakBytes(), measured, startNanos));
    }

    /** {@link #run} of a network of any space, trained as it is. */
    static TrainedSpaceNetwork space(Backend backend, ExecutionPlan plan, SpaceNetwork network, TrainConfig tc,
                                     ImageDataset validation, int first, Function<Network, Trainer> prepare,
                                     BiFunction<Network, Trainer, TrainingListener> listener, long startNanos) {
        return run(backend, plan, tc, validation, first, prepare, listener, (net, trainer, accuracy, measured) ->
                new TrainedSpaceNetwork(network, accuracy, plan.parameterCount(), plan.memoryPlan().peakBytes(), measured,
                        startNanos));
    }
}
