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
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.Evaluation;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search loop. SpiderNet: a mutation round on the initial net, then iterations of training
 * (pruning active) -> mutation round -> re-initialisation, until the iteration limit or until no
 * split fits the memory budget; then final training of the found net and its test accuracy.
 * Random search: each iteration trains a random sample from the same space under the same budget
 * for the same epochs; the best by validation accuracy is trained finally. Decisions use the
 * validation split only; the test set is touched once, at the end.
 *
 * <p>Every random choice is derived from the run's seed and its position ({@link Seeds}), and the
 * observer receives a {@link SearchSnapshot} after every epoch and every mutation round, so a
 * killed run resumed from its last snapshot ends exactly as an uninterrupted one.
 *
 * <p>The device may hold less than the memory budget promises (other processes, the pool's
 * rounding, an emulated capacity). A candidate whose scoring runs out of device memory is
 * rejected and the round goes on (see {@link SpiderNetMutation}). A grown network whose training
 * runs out of device memory is rolled back ({@link RoundRollback}): its network is freed, the
 * memory budget is lowered below its planned peak (and below the room the device reported, when
 * it did), and the round that grew it is run again from its parent under the lowered budget (for
 * random search: the sample is drawn again), with the same seed, so the search continues as if the
 * budget had been right from that round on. The lowered budget is part of every later snapshot.
 * An out-of-memory with no growth to undo (the initial network, a round that grew nothing) and
 * one in the final training are errors.
 */
public final class SearchRun {
    private static final int TRAIN = 1;
    private static final int ROUND = 2;
    private static final int SAMPLE = 3;
    private static final int FINAL = 4;

    /** What a run reports while it works. Every method has a do-nothing default. */
    public interface Observer {
        default void roundFinished(int iteration, MutationRound round) {
        }

        default void iterationFinished(IterationRecord record) {
        }

        default void snapshot(SearchSnapshot snapshot) {
        }

        default TrainingListener training(SearchPhase phase, int iteration, int epochs) {
            return TrainingListener.NONE;
        }

        default void stopped(String reason) {
        }

        /** A grown network did not fit the device while training; its growth has been undone. */
        default void rolledBack(RoundRollback rollback) {
        }
    }

    /**
     * The outcome: the found network, its test evaluation after final training, and the history;
     * the memory budget in force at the end (below the configured one after an out-of-memory) and
     * how many grown networks were rolled back for running out of device memory.
     */
    public record Result(Genome genome, Evaluation test, long params, long plannedPeakBytes, long measuredPeakBytes,
                         int iterations, List<IterationRecord> history, List<EpochMetrics> finalTraining,
                         int finalOpsDeleted, String stopReason, long memoryBudgetBytes, int outOfMemoryRollbacks) {
    }

    private final SearchConfig cfg;
    private final Backend backend;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final ImageDataset test;
    private final ChannelStats stats;
    private final CandidateScorer scorer;
    private final Observer observer;
    private final MemoryBudget budget;
    private final Genome initial;

    public SearchRun(SearchConfig cfg, Backend backend, ImageDataset train, ImageDataset validation, ImageDataset test,
                     CandidateScorer scorer, Observer observer) {
        this.cfg = cfg;
        this.backend = backend;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.stats = train.channelStats();
        this.scorer = scorer;
        this.observer = observer;
        this.budget = new MemoryBudget(cfg.memoryBudgetBytes(), cfg.train().batch(), backend.bytesPerElement());
        this.initial = Genome.initial(new InputSpec(train.channels(), train.height(), train.width(), train.numClasses()),
                cfg.channels(), cfg.reductions());
    }

    public Genome initialGenome() {
        return initial;
    }

    /** The configured memory budget (an out-of-memory lowers the one in force, see {@link SearchSnapshot}). */
    public MemoryBudget budget() {
        return budget;
    }

    /** The budget in force at {@code s}: the configured one, or lower after an out-of-memory. */
    private MemoryBudget budget(SearchSnapshot s) {
        return budget.withBytes(Math.min(budget.bytes(), s.memoryBudgetBytes()));
    }

    /** The mutation round that grows {@code parent} into the network of search iteration {@code iteration}. */
    private MutationRound round(Genome parent, MemoryBudget b, int iteration) {
        MutationRound r = new SpiderNetMutation(scorer, b, cfg.metrics(), cfg.goodCandidates())
                .run(parent, Seeds.derive(cfg.seed(), ROUND, iteration));
        observer.roundFinished(iteration - 1, r);
        return r;
    }

    /** Runs from the start ({@code resume == null}) or from a snapshot. */
    public Result run(SearchSnapshot resume) {
        SearchSnapshot s = resume != null ? resume : start();
        while (s.phase() == SearchPhase.SEARCH_TRAINING) {
            s = iteration(s);
        }
        if (s.phase() == SearchPhase.DONE) {
            throw new IllegalStateException("this search has already finished");
        }
        return finalTraining(s);
    }

    private boolean random() {
        return cfg.strategy().equals("random");
    }

    /** Largest number of splits a random sample draws: what SpiderNet could add (one per cell per round). */
    private int maxRandomSplits() {
        return cfg.iterations() * initial.cells().size();
    }

    private SearchSnapshot start() {
        if (!budget.fits(initial)) {
            throw new IllegalArgumentException("the initial network alone needs " + budget.plannedPeak(initial)
                    + " bytes at batch " + cfg.train().batch() + ", over the memory budget of " + budget.bytes() + " bytes");
        }
        Genome g;
        String stop = null;
        List<EdgeSplit> grown = List.of();
        if (random()) {
            g = RandomArchitecture.sample(initial, maxRandomSplits(), budget, Seeds.derive(cfg.seed(), SAMPLE, 0));
        } else {
            MutationRound r = round(initial, budget, 0);
            g = r.genome();
            grown = r.accepted();
            stop = noFitReason(r);
        }
        SearchSnapshot s;
        if (cfg.iterations() == 0 || stop != null) {
            stop = stop != null ? stop : iterationLimit();
            observer.stopped(stop);
            s = new SearchSnapshot(SearchPhase.FINAL_TRAINING, 0, g, 0, null, null, List.of(), null, Double.NaN, stop,
                    null, List.of(), budget.bytes(), 0);
        } else {
            s = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, 0, g, 0, null, null, List.of(), null, Double.NaN, null,
                    initial, grown, budget.bytes(), 0);
        }
        observer.snapshot(s);
        return s;
    }

    private String iterationLimit() {
        return "iteration limit reached (" + cfg.iterations() + " iterations)";
    }

    /**
     * SpiderNet stops when no candidate of any cell fits: each is over the budget or (then the
     * device holds less than the budget says) could not even be scored in the device's memory.
     */
    private static String noFitReason(MutationRound r) {
        if (r.grew() || r.candidates().isEmpty()) {
            return null;
        }
        boolean scoringRanOut = false;
        for (CandidateRecord c : r.candidates()) {
            if (c.decision() == CandidateDecision.OUT_OF_MEMORY) {
                scoringRanOut = true;
            } else if (c.decision() != CandidateDecision.OVER_BUDGET) {
                return null;
            }
        }
        return scoringRanOut
                ? "no mutation fits the memory budget (every candidate split's planned peak exceeds it or its scoring ran out of device memory)"
                : "no mutation fits the memory budget (every candidate split's planned peak exceeds it)";
    }

    /** The stop reason, with what out-of-memory rollbacks did to the budget when there were any. */
    private String withMemoryNote(String reason, long budgetBytes, int rollbacks) {
        if (rollbacks == 0) {
            return reason;
        }
        return reason + "; " + rollbacks + " grown network" + (rollbacks == 1 ? " was" : "s were")
                + " rolled back for running out of device memory, lowering the memory budget from "
                + budget.bytes() + " B to " + budgetBytes + " B";
    }

    private SearchSnapshot iteration(SearchSnapshot s) {
        long t0 = System.nanoTime();
        int it = s.iteration();
        Genome genome = s.genome();
        MemoryBudget b = budget(s);
        TrainConfig tc = cfg.train().withSeed(Seeds.derive(cfg.seed(), TRAIN, it));
        ExecutionPlan plan = ExecutionPlan.compile(genome, tc.batch(), backend.bytesPerElement());
        long before = backend.memory().bytesInUse();
        backend.resetPeak();
        Genome pruned;
        double valAcc;
        int deleted;
        long measured;
        try (Network net = Network.bind(plan, backend)) {
            Trainer trainer = prepare(net, tc, s);
            List<EpochMetrics> h = trainer.runEpochs(s.epochsCompleted(), tc.epochs(), validation,
                    snapshotting(SearchPhase.SEARCH_TRAINING, s, net, trainer, tc.epochs()));
            valAcc = h.get(h.size() - 1).validationAccuracy();
            deleted = trainer.prunedCount();
            pruned = withoutPrunedOps(genome, net);
            measured = backend.memory().peakBytes() - before;
        } catch (DeviceOutOfMemoryException e) {
            // the network is closed by now: everything it had allocated is free again
            return rollBack(s, plan.memoryPlan().peakBytes(), before, e);
        }
        List<IterationRecord> history = new ArrayList<>(s.history());
        Genome next;
        Genome parent;
        List<EdgeSplit> grown = List.of();
        String stop = null;
        Genome best = s.best();
        double bestVal = s.bestValidationAccuracy();
        int accepted = 0;
        if (random()) {
            if (best == null || valAcc > bestVal) {
                best = pruned;
                bestVal = valAcc;
            }
            next = RandomArchitecture.sample(initial, maxRandomSplits(), b, Seeds.derive(cfg.seed(), SAMPLE, it + 1));
            parent = initial;
        } else {
            MutationRound r = round(pruned, b, it + 1);
            accepted = r.accepted().size();
            next = r.genome();
            parent = pruned;
            grown = r.accepted();
            stop = noFitReason(r);
        }
        IterationRecord rec = new IterationRecord(it, genome.edgeCount(), opCount(genome), plan.parameterCount(),
                plan.memoryPlan().peakBytes(), measured, valAcc, deleted, accepted, (System.nanoTime() - t0) / 1e9);
        history.add(rec);
        observer.iterationFinished(rec);
        SearchSnapshot out;
        if (stop != null || it + 1 >= cfg.iterations()) {
            stop = withMemoryNote(stop != null ? stop : iterationLimit(), b.bytes(), s.outOfMemoryRollbacks());
            observer.stopped(stop);
            Genome found = random() ? best : next;
            out = new SearchSnapshot(SearchPhase.FINAL_TRAINING, it + 1, found, 0, null, null, history, best, bestVal, stop,
                    null, List.of(), b.bytes(), s.outOfMemoryRollbacks());
        } else {
            out = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, it + 1, next, 0, null, null, history, best, bestVal, null,
                    parent, grown, b.bytes(), s.outOfMemoryRollbacks());
        }
        observer.snapshot(out);
        return out;
    }

    /**
     * The network of {@code s} ran out of device memory while training: undo the growth that made
     * it, lower the budget below its planned peak (and below the room the device reported beyond
     * the {@code before} bytes held outside the network), and grow the parent again under the
     * lowered budget with the same seed. Throws when there is no growth to undo.
     */
    private SearchSnapshot rollBack(SearchSnapshot s, long plannedPeak, long before, DeviceOutOfMemoryException oom) {
        int it = s.iteration();
        Genome failed = s.genome();
        boolean grown = random() ? !failed.equals(initial) : s.parent() != null && !s.grownBy().isEmpty();
        long budgetBefore = budget(s).bytes();
        long lowered = Math.min(budgetBefore, plannedPeak - 1);
        if (oom.capacityBytes() != DeviceOutOfMemoryException.UNKNOWN) {
            lowered = Math.min(lowered, oom.capacityBytes() - before);
        }
        String what = "out of device memory training the network of search iteration " + it + " (" + failed.edgeCount()
                + " edges, planned peak " + plannedPeak + " B at batch " + cfg.train().batch() + "), ";
        String advice = ": " + oom.getMessage() + "; give the search a larger device or a smaller network (--channels, --batch)";
        if (!grown) {
            throw new IllegalStateException(what + "which has no growth to undo" + advice, oom);
        }
        Genome parent = random() ? initial : s.parent();
        long parentPeak = budget.plannedPeak(parent);
        if (parentPeak > lowered) {
            // the device reported less room than even the parent takes: nothing the search could still grow would fit
            throw new IllegalStateException(what + "and the device has room for " + Math.max(lowered, 0)
                    + " B, less than the " + parentPeak + " B planned peak of the network it was grown from" + advice, oom);
        }
        observer.rolledBack(new RoundRollback(it, failed, parent, s.grownBy(), plannedPeak, budgetBefore, lowered,
                oom.getMessage()));
        int rollbacks = s.outOfMemoryRollbacks() + 1;
        MemoryBudget b = budget.withBytes(lowered);
        Genome g;
        List<EdgeSplit> grownAgain = List.of();
        String stop = null;
        if (random()) {
            g = RandomArchitecture.sample(initial, maxRandomSplits(), b, Seeds.derive(cfg.seed(), SAMPLE, it));
        } else {
            MutationRound r = round(parent, b, it);
            g = r.genome();
            grownAgain = r.accepted();
            stop = noFitReason(r);
        }
        SearchSnapshot out;
        if (stop != null) {
            stop = withMemoryNote(stop, lowered, rollbacks);
            observer.stopped(stop);
            out = new SearchSnapshot(SearchPhase.FINAL_TRAINING, it, g, 0, null, null, s.history(), s.best(),
                    s.bestValidationAccuracy(), stop, null, List.of(), lowered, rollbacks);
        } else {
            out = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, it, g, 0, null, null, s.history(), s.best(),
                    s.bestValidationAccuracy(), null, parent, grownAgain, lowered, rollbacks);
        }
        observer.snapshot(out);
        return out;
    }

    private Result finalTraining(SearchSnapshot s) {
        Genome genome = s.genome();
        TrainConfig tc = cfg.train().withEpochs(cfg.finalEpochs()).withSeed(Seeds.derive(cfg.seed(), FINAL));
        ExecutionPlan plan = ExecutionPlan.compile(genome, tc.batch(), backend.bytesPerElement());
        long before = backend.memory().bytesInUse();
        backend.resetPeak();
        try (Network net = Network.bind(plan, backend)) {
            Trainer trainer = prepare(net, tc, s);
            List<EpochMetrics> h = trainer.runEpochs(s.epochsCompleted(), tc.epochs(), validation,
                    snapshotting(SearchPhase.FINAL_TRAINING, s, net, trainer, tc.epochs()));
            Evaluation t = trainer.evaluate(test);
            long measured = backend.memory().peakBytes() - before;
            return new Result(genome, t, plan.parameterCount(), plan.memoryPlan().peakBytes(), measured,
                    s.history().size(), s.history(), h, trainer.prunedCount(), s.stopReason(), budget(s).bytes(),
                    s.outOfMemoryRollbacks());
        } catch (DeviceOutOfMemoryException e) {
            // the search is over: there is no round left to undo, and the checkpoints stay as they are
            throw new IllegalStateException("out of device memory in the final training of the found network ("
                    + genome.edgeCount() + " edges, planned peak " + plan.memoryPlan().peakBytes() + " B at batch "
                    + tc.batch() + "): " + e.getMessage() + "; the search's checkpoints are intact", e);
        }
    }

    /** A fresh trainer over {@code net}: initialised from the config's seed, or restored from the snapshot. */
    private Trainer prepare(Network net, TrainConfig tc, SearchSnapshot s) {
        Trainer trainer = new Trainer(net, tc, train, stats);
        if (s.epochsCompleted() == 0) {
            net.initialize(tc.seed(), InitScheme.FAN_IN);
        } else {
            net.importState(s.tensors());
            net.importMomentum(s.tensors());
            trainer.restore(s.trainer());
        }
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
                Map<String, double[]> tensors = new LinkedHashMap<>(net.exportState());
                tensors.putAll(net.exportMomentum());
                observer.snapshot(s.afterEpochs(m.epoch() + 1, tensors, trainer.state()));
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
