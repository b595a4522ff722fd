package org.spidernet.search;

import org.spidernet.backend.Backend;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.graph.Cell;
import org.spidernet.graph.DeadEndRemoval;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.jobs.RunJobs;
import org.spidernet.graph.OpType;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.Evaluation;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every {@link SearchStrategy} shares in a run: the configuration, the search space and its
 * initial network, the budget (memory, iterations, epochs per iteration, images seen, wall time),
 * the seed, the snapshot to resume from, the observer (event log, checkpoints, progress), the
 * training of a search network and, after the strategy is done, the final training of the found
 * network and its test. Decisions use the validation split only; the test set is touched once,
 * at the end.
 *
 * <p>Every random choice is derived from the run's seed and its position ({@link #seed}), and the
 * observer receives a {@link SearchSnapshot} after every epoch (here) and every step of the
 * strategy ({@link #next}, {@link #finish}), so a killed run resumed from its last snapshot ends
 * exactly as an uninterrupted one.
 *
 * <p>The device may hold less than the memory budget promises (other processes, the pool's
 * rounding, an emulated capacity). A network whose training runs out of device memory is a
 * {@link NetworkOutOfMemory}; the strategy undoes the growth that made it ({@link #rollBack}: the
 * memory budget is lowered below its planned peak, and below the room the device reported, when
 * it did) and grows again from its parent under the lowered budget with the same seed, so the
 * search continues as if the budget had been right from that step on. The lowered budget is part
 * of every later snapshot. An out-of-memory with no growth to undo and one in the final training
 * are errors.
 */
public final class SearchContext {
    // seed paths' first elements; a strategy's own start elsewhere (SpiderNet's rounds use 2, random
    // search's samples 3), which keeps every seed what it was before strategies were plug-ins
    private static final int TRAIN = 1;
    private static final int FINAL = 4;

    private final SearchConfig cfg;
    private final SearchStrategy strategy;
    private final SearchSpace space;
    private final Backend backend;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final ImageDataset test;
    private final ChannelStats stats;
    private final CandidateScorer scorer;
    private final RunJobs jobs;
    private final SearchRun.Observer observer;
    private final SearchLimits limits;
    private final MemoryBudget budget;
    private final Genome initial;
    private final SampledSpace sampledSpace;
    private final SearchSnapshot resumed;
    private final long startNanos;

    SearchContext(SearchConfig cfg, SearchStrategy strategy, SearchSpace space, Backend backend, ImageDataset train, ImageDataset validation,
                  ImageDataset test, CandidateScorer scorer, RunJobs jobs, SearchRun.Observer observer, SearchLimits limits,
                  MemoryBudget budget, Genome initial, SampledSpace sampledSpace, SearchSnapshot resumed,
                  double secondsBefore) {
        this.cfg = cfg;
        this.strategy = strategy;
        this.space = space;
        this.backend = backend;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.stats = train.channelStats();
        this.scorer = scorer;
        this.jobs = jobs;
        this.observer = observer;
        this.limits = limits;
        this.budget = budget;
        this.initial = initial;
        this.sampledSpace = sampledSpace;
        this.resumed = resumed;
        this.startNanos = System.nanoTime() - (long) (secondsBefore * 1e9);
    }

    public SearchConfig config() {
        return cfg;
    }

    public SearchSpace space() {
        return space;
    }

    /**
     * The space {@code search --space} points the strategy at instead of its own, opened once for
     * this run's data ({@link SearchConfig#space()}); empty when the strategy searches its own.
     */
    public Optional<SampledSpace> sampledSpace() {
        return Optional.ofNullable(sampledSpace);
    }

    /** The space's initial network for this run's data. */
    public Genome initial() {
        return initial;
    }

    public Backend backend() {
        return backend;
    }

    /** The training split (without the validation images): what a train-free scorer may look at. */
    public ImageDataset trainingData() {
        return train;
    }

    /** The held-out split every decision is measured on (validation accuracy per epoch). */
    public ImageDataset validationData() {
        return validation;
    }

    /** The training split's channel statistics, which every augmentation normalises with. */
    public ChannelStats channelStats() {
        return stats;
    }

    /** The train-free scorer of candidate networks, for strategies that score before they train. */
    public CandidateScorer scorer() {
        return scorer;
    }

    /**
     * Where the strategy may hand batches of independent work (a distributed service), or empty:
     * everything runs in-process, one thing at a time. A strategy batches only when the service
     * runs jobs side by side ({@link org.spidernet.jobs.EvaluationService#parallelism()} above 1).
     */
    public Optional<RunJobs> parallelJobs() {
        return jobs != null && jobs.service().parallelism() > 1 ? Optional.of(jobs) : Optional.empty();
    }

    /** Where events go; a strategy reports its own steps (a mutation round, say) through it. */
    public SearchRun.Observer observer() {
        return observer;
    }

    /** The snapshot to continue from ({@link SearchPhase#SEARCH_TRAINING}); empty for a fresh run. */
    public Optional<SearchSnapshot> resumed() {
        return Optional.ofNullable(resumed);
    }

    /** The seed of the random choice at {@code path}: a pure function of the run's seed and the path. */
    public long seed(long... path) {
        return Seeds.derive(cfg.seed(), path);
    }

    /** The configured memory budget (an out-of-memory lowers the one in force, see {@link SearchSnapshot}). */
    public MemoryBudget memoryBudget() {
        return budget;
    }

    /** The memory budget in force at {@code s}: the configured one, or lower after an out-of-memory. */
    public MemoryBudget memoryBudget(SearchSnapshot s) {
        return budget.withBytes(Math.min(budget.bytes(), s.memoryBudgetBytes()));
    }

    public SearchLimits limits() {
        return limits;
    }

    /** Training images seen once {@code iterationsTrained} search iterations are trained. */
    public long imagesSeen(int iterationsTrained) {
        return strategy.imagesSeen(cfg, iterationsTrained, train.count());
    }

    /** Wall-clock seconds this run has spent so far (before a resume included). */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Why the search must stop once {@code iterationsTrained} iterations are trained, or empty when
     * it may go on: the iteration limit first, then the images and the wall time of {@link #limits()}.
     */
    public Optional<String> stopAfter(int iterationsTrained) {
        if (iterationsTrained >= cfg.iterations()) {
            return Optional.of("iteration limit reached (" + cfg.iterations() + " iterations)");
        }
        long seen = imagesSeen(iterationsTrained);
        if (seen >= limits.images()) {
            return Optional.of("image limit reached (" + seen + " training images seen, limit " + limits.images() + ")");
        }
        double elapsed = elapsedSeconds();
        if (elapsed >= limits.wallSeconds()) {
            return Optional.of(String.format(Locale.ROOT, "wall-time limit reached (%.1f s spent, limit %.1f s)",
                    elapsed, limits.wallSeconds()));
        }
        return Optional.empty();
    }

    /**
     * Trains the network of {@code s} for the epochs of a search iteration (from where {@code s}
     * left off), with pruning active and a snapshot after every epoch. Throws
     * {@link NetworkOutOfMemory} when the device cannot hold it.
     */
    public TrainedNetwork train(SearchSnapshot s) throws NetworkOutOfMemory {
        long t0 = System.nanoTime();
        Genome genome = s.genome();
        TrainConfig tc = iterationTraining(s.iteration());
        ExecutionPlan plan = ExecutionPlan.compile(genome, tc.batch(), backend.bytesPerElement());
        long before = backend.memory().bytesInUse();
        try {
            return IterationTraining.genome(backend, plan, genome, tc, validation, s.epochsCompleted(), net -> prepare(net, tc, s),
                    (net, trainer) -> snapshotting(SearchPhase.SEARCH_TRAINING, s, net, trainer, tc.epochs()), t0);
        } catch (DeviceOutOfMemoryException e) {
            // the network is closed by now: everything it had allocated is free again
            throw new NetworkOutOfMemory(plan.memoryPlan().peakBytes(), before, e);
        }
    }

    /**
     * Trains the network of {@code s}, of any space, for the epochs of a search iteration (from
     * where {@code s} left off), as it is (nothing is pruned), with a snapshot after every epoch.
     * Running out of device memory is an {@link IllegalStateException}: such a network was not
     * grown, so there is no growth to undo.
     */
    public TrainedSpaceNetwork trainNetwork(SearchSnapshot s) {
        long t0 = System.nanoTime();
        TrainConfig tc = iterationTraining(s.iteration());
        ExecutionPlan plan = IterationTraining.plan(s.network(), tc.batch(), backend.bytesPerElement());
        try {
            return IterationTraining.space(backend, plan, s.network(), tc, validation, s.epochsCompleted(),
                    net -> prepare(net, tc, s),
                    (net, trainer) -> snapshotting(SearchPhase.SEARCH_TRAINING, s, net, trainer, tc.epochs()), t0);
        } catch (DeviceOutOfMemoryException e) {
            throw new IllegalStateException("out of device memory training the " + s.network().space()
                    + " network of search iteration " + s.iteration() + " (planned peak " + plan.memoryPlan().peakBytes()
                    + " B at batch " + tc.batch() + "), which has no growth to undo: " + e.getMessage()
                    + "; give the search a larger device or a smaller batch (--batch)", e);
        }
    }

    /**
     * Trains {@code network} (of any space, as it is) from scratch with {@code tc}, its epochs
     * reported to the observer as iteration {@code reportAs}'s; no snapshot inside, so a kill
     * trains it again. What a {@link TrainNetworkJob} of the same network and settings computes.
     * Throws {@link DeviceOutOfMemoryException} when the device cannot hold it.
     */
    public TrainedSpaceNetwork trainFresh(SpaceNetwork network, TrainConfig tc, int reportAs) {
        return trainFresh(network, IterationTraining.plan(network, tc.batch(), backend.bytesPerElement()), tc, reportAs);
    }

    /** {@link #trainFresh(SpaceNetwork, TrainConfig, int)} with the network's training plan, for a caller that made it already. */
    public TrainedSpaceNetwork trainFresh(SpaceNetwork network, ExecutionPlan plan, TrainConfig tc, int reportAs) {
        return IterationTraining.space(backend, plan, network, tc, validation, 0, net -> IterationTraining.fresh(net, tc, train, stats),
                (net, trainer) -> observer.training(SearchPhase.SEARCH_TRAINING, reportAs, tc.epochs()), System.nanoTime());
    }

    /** The training settings of search iteration {@code iteration}: the run's, with the iteration's seed. */
    public TrainConfig iterationTraining(int iteration) {
        return cfg.train().withSeed(seed(TRAIN, iteration));
    }

    /**
     * Records the iteration of {@code s} as done with its network {@code t} (of any space; its
     * edges and ops are what the space's {@link ArchitectureSpace#describe} says, 0 where it says
     * nothing). Reports it and returns the history with it.
     */
    public List<IterationRecord> finishIteration(SearchSnapshot s, TrainedSpaceNetwork t) {
        IterationRecord rec = new IterationRecord(s.iteration(), ArchitectureSpaces.count(t.network(), "edges"),
                ArchitectureSpaces.count(t.network(), "ops"),
                t.params(), t.plannedPeakBytes(), t.measuredPeakBytes(), t.validationAccuracy(), 0, 0,
                (System.nanoTime() - t.startNanos()) / 1e9);
        List<IterationRecord> history = new ArrayList<>(s.history());
        history.add(rec);
        observer.iterationFinished(rec);
        return history;
    }

    /**
     * Records the iteration of {@code s} as done: its network {@code t}, {@code splitsAccepted}
     * growth steps after it. Reports it and returns the history with it.
     */
    public List<IterationRecord> finishIteration(SearchSnapshot s, TrainedNetwork t, int splitsAccepted) {
        IterationRecord rec = new IterationRecord(s.iteration(), t.trained().edgeCount(), opCount(t.trained()), t.params(),
                t.plannedPeakBytes(), t.measuredPeakBytes(), t.validationAccuracy(), t.opsDeleted(), splitsAccepted,
                (System.nanoTime() - t.startNanos()) / 1e9);
        List<IterationRecord> history = new ArrayList<>(s.history());
        history.add(rec);
        observer.iterationFinished(rec);
        return history;
    }

    /**
     * The network of {@code s} ran out of device memory while training: when {@code grown} (there
     * is growth to undo), reports the rollback to {@code parent} and returns the lowered budget
     * under which the strategy grows {@code parent} again, below the network's planned peak and
     * below the room the device reported beyond the bytes held outside the network. Throws when
     * there is nothing to undo or the device has no room even for {@code parent}.
     */
    public MemoryBudget rollBack(SearchSnapshot s, NetworkOutOfMemory e, boolean grown, Genome parent) {
        DeviceOutOfMemoryException oom = e.deviceError();
        Genome failed = s.genome();
        long budgetBefore = memoryBudget(s).bytes();
        long lowered = Math.min(budgetBefore, e.plannedPeakBytes() - 1);
        if (oom.capacityBytes() != DeviceOutOfMemoryException.UNKNOWN) {
            lowered = Math.min(lowered, oom.capacityBytes() - e.bytesHeldOutside());
        }
        String what = "out of device memory training the network of search iteration " + s.iteration() + " ("
                + failed.edgeCount() + " edges, planned peak " + e.plannedPeakBytes() + " B at batch "
                + cfg.train().batch() + "), ";
        String advice = ": " + oom.getMessage() + "; give the search a larger device or a smaller network (--channels, --batch)";
        if (!grown) {
            throw new IllegalStateException(what + "which has no growth to undo" + advice, oom);
        }
        long parentPeak = budget.plannedPeak(parent);
        if (parentPeak > lowered) {
            // the device reported less room than even the parent takes: nothing the search could still grow would fit
            throw new IllegalStateException(what + "and the device has room for " + Math.max(lowered, 0)
                    + " B, less than the " + parentPeak + " B planned peak of the network it was grown from" + advice, oom);
        }
        observer.rolledBack(new RoundRollback(s.iteration(), failed, parent, s.grownBy(), e.plannedPeakBytes(),
                budgetBefore, lowered, oom.getMessage()));
        return budget.withBytes(lowered);
    }

    /**
     * The search goes on: {@code genome} is the network of iteration {@code iteration}, grown from
     * {@code parent} by {@code grownBy} (what an out-of-memory would undo; null and empty when
     * there is nothing to undo). Reported as a snapshot, which is returned.
     */
    public SearchSnapshot next(int iteration, Genome genome, List<IterationRecord> history, Genome best,
                               double bestValidationAccuracy, Genome parent, List<EdgeSplit> grownBy,
                               long memoryBudgetBytes, int outOfMemoryRollbacks) {
        SearchSnapshot out = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, iteration, SpaceNetwork.of(genome), 0, null, null, history,
                best, bestValidationAccuracy, null, parent, grownBy, memoryBudgetBytes, outOfMemoryRollbacks);
        observer.snapshot(out);
        return out;
    }

    /**
     * The search goes on with {@code network}, of any space, as the network of iteration
     * {@code iteration}; nothing was grown, so there is nothing to undo. Reported as a snapshot,
     * which is returned.
     */
    public SearchSnapshot next(int iteration, SpaceNetwork network, List<IterationRecord> history, long memoryBudgetBytes) {
        SearchSnapshot out = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, iteration, network, 0, null, null, history,
                null, Double.NaN, null, null, List.of(), memoryBudgetBytes, 0);
        observer.snapshot(out);
        return out;
    }

    /**
     * The search is over: {@code found} goes to the final training. Reports the reason (with what
     * out-of-memory rollbacks did to the budget, when there were any) and the snapshot, which is
     * returned for {@link SearchStrategy#search} to hand back.
     */
    public SearchSnapshot finish(int iteration, Genome found, List<IterationRecord> history, Genome best,
                                 double bestValidationAccuracy, String reason, long memoryBudgetBytes,
                                 int outOfMemoryRollbacks) {
        return finish(iteration, SpaceNetwork.of(found), history, best, bestValidationAccuracy, reason, memoryBudgetBytes,
                outOfMemoryRollbacks);
    }

    /** {@link #finish(int, Genome, List, Genome, double, String, long, int)} for a network of any space. */
    public SearchSnapshot finish(int iteration, SpaceNetwork found, List<IterationRecord> history, Genome best,
                                 double bestValidationAccuracy, String reason, long memoryBudgetBytes,
                                 int outOfMemoryRollbacks) {
        String stop = withMemoryNote(reason, memoryBudgetBytes, outOfMemoryRollbacks);
        observer.stopped(stop);
        SearchSnapshot out = new SearchSnapshot(SearchPhase.FINAL_TRAINING, iteration, found, 0, null, null, history, best,
                bestValidationAccuracy, stop, null, List.of(), memoryBudgetBytes, outOfMemoryRollbacks);
        observer.snapshot(out);
        return out;
    }

    private String withMemoryNote(String reason, long budgetBytes, int rollbacks) {
        if (rollbacks == 0) {
            return reason;
        }
        return reason + "; " + rollbacks + " grown network" + (rollbacks == 1 ? " was" : "s were")
                + " rolled back for running out of device memory, lowering the memory budget from "
                + budget.bytes() + " B to " + budgetBytes + " B";
    }

    /** Trains the found network of {@code s} for the final epochs and tests it. */
    SearchRun.Result finalTraining(SearchSnapshot s) {
        SpaceNetwork found = s.network();
        TrainConfig tc = cfg.train().withEpochs(cfg.finalEpochs()).withSeed(seed(FINAL));
        ExecutionPlan plan = IterationTraining.plan(found, tc.batch(), backend.bytesPerElement());
        long before = backend.memory().bytesInUse();
        backend.resetPeak();
        try (Network net = Network.bind(plan, backend)) {
            Trainer trainer = prepare(net, tc, s);
            List<EpochMetrics> h = trainer.runEpochs(s.epochsCompleted(), tc.epochs(), validation,
                    snapshotting(SearchPhase.FINAL_TRAINING, s, net, trainer, tc.epochs()));
            Evaluation t = trainer.evaluate(test);
            long measured = backend.memory().peakBytes() - before;
            return new SearchRun.Result(found, t, plan.parameterCount(), plan.memoryPlan().peakBytes(), measured,
                    s.history().size(), s.history(), h, trainer.prunedCount(), s.stopReason(), memoryBudget(s).bytes(),
                    s.outOfMemoryRollbacks(), net.exportForInference());
        } catch (DeviceOutOfMemoryException e) {
            // the search is over: there is no round left to undo, and the checkpoints stay as they are
            throw new IllegalStateException("out of device memory in the final training of the found network ("
                    + "planned peak " + plan.memoryPlan().peakBytes() + " B at batch "
                    + tc.batch() + "): " + e.getMessage() + "; the search's checkpoints are intact", e);
        }
    }

    private Trainer prepare(Network net, TrainConfig tc, SearchSnapshot s) {
        return trainer(net, tc, train, s);
    }

    /**
     * A trainer over {@code net} on {@code data}: the network initialised from {@code tc}'s seed
     * when {@code s} has no epochs done, else its weights, momentum and trainer state restored
     * from {@code s} (a strategy with state of its own restores that itself).
     */
    public Trainer trainer(Network net, TrainConfig tc, ImageDataset data, SearchSnapshot s) {
        if (s.epochsCompleted() == 0) {
            return IterationTraining.fresh(net, tc, data, stats);
        }
        Trainer trainer = new Trainer(net, tc, data, stats);
        net.importState(s.tensors());
        net.importMomentum(s.tensors());
        trainer.restore(s.trainer());
        return trainer;
    }

    private TrainingListener snapshotting(SearchPhase phase, SearchSnapshot s, Network net, Trainer trainer, int epochs) {
        TrainingListener inner = observer.training(phase, s.iteration(), epochs);
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int steps) {
                inner.epochStarted(epoch, steps);
            }

            @Override
            public void stepFinished(int epoch, int step, double loss) {
                inner.stepFinished(epoch, step, loss);
            }

            @Override
            public void opsDeleted(int epoch, List<String> labels) {
                inner.opsDeleted(epoch, labels);
            }

            @Override
            public void epochFinished(EpochMetrics m) {
                inner.epochFinished(m);
                observer.snapshot(s.afterEpochs(m.epoch() + 1, net.exportResumable(), trainer.state()));
            }
        };
    }

    /** The genome with every op the deletion rule removed taken off its edge, then dead ends removed. */
    static Genome withoutPrunedOps(Genome g, Network net) {
        Map<Integer, Map<Long, Set<OpType>>> removed = new HashMap<>();
        for (GateSpec gate : net.plan().gates()) {
            if (net.isPruned(gate.index())) {
                removed.computeIfAbsent(gate.cell(), k -> new HashMap<>())
                        .computeIfAbsent(((long) gate.from() << 32) | gate.to(), k -> EnumSet.noneOf(OpType.class))
                        .add(OpType.fromName(gate.op()));
            }
        }
        Genome out = g;
        for (Map.Entry<Integer, Map<Long, Set<OpType>>> e : removed.entrySet()) {
            Cell c = out.cell(e.getKey());
            List<Edge> edges = new ArrayList<>();
            for (Edge edge : c.edges()) {
                Set<OpType> gone = e.getValue().get(((long) edge.from() << 32) | edge.to());
                edges.add(gone == null ? edge : edge.without(gone));
            }
            out = out.withCell(c.withEdges(c.nodes(), edges));
        }
        return DeadEndRemoval.apply(out);
    }

    static int opCount(Genome g) {
        int n = 0;
        for (Cell c : g.cells()) {
            n += c.opCount();
        }
        return n;
    }
}
