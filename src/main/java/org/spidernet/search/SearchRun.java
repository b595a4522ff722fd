package org.spidernet.search;

import org.spidernet.backend.Backend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.graph.Cell;
import org.spidernet.graph.DeadEndRemoval;
import org.spidernet.graph.Edge;
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
    }

    /** The outcome: the found network, its test evaluation after final training, and the history. */
    public record Result(Genome genome, Evaluation test, long params, long plannedPeakBytes, long measuredPeakBytes,
                         int iterations, List<IterationRecord> history, List<EpochMetrics> finalTraining,
                         int finalOpsDeleted, String stopReason) {
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

    public MemoryBudget budget() {
        return budget;
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
        if (random()) {
            g = RandomArchitecture.sample(initial, maxRandomSplits(), budget, Seeds.derive(cfg.seed(), SAMPLE, 0));
        } else {
            MutationRound r = new SpiderNetMutation(scorer, budget, cfg.metrics(), cfg.goodCandidates())
                    .run(initial, Seeds.derive(cfg.seed(), ROUND, 0));
            observer.roundFinished(-1, r);
            g = r.genome();
            stop = noFitReason(r);
        }
        SearchSnapshot s;
        if (cfg.iterations() == 0 || stop != null) {
            stop = stop != null ? stop : iterationLimit();
            observer.stopped(stop);
            s = new SearchSnapshot(SearchPhase.FINAL_TRAINING, 0, g, 0, null, null, List.of(), null, Double.NaN, stop);
        } else {
            s = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, 0, g, 0, null, null, List.of(), null, Double.NaN, null);
        }
        observer.snapshot(s);
        return s;
    }

    private String iterationLimit() {
        return "iteration limit reached (" + cfg.iterations() + " iterations)";
    }

    /** SpiderNet stops when no candidate of any cell fits the budget. */
    private static String noFitReason(MutationRound r) {
        if (r.grew() || r.candidates().isEmpty()) {
            return null;
        }
        for (CandidateRecord c : r.candidates()) {
            if (c.decision() != CandidateDecision.OVER_BUDGET) {
                return null;
            }
        }
        return "no mutation fits the memory budget (every candidate split's planned peak exceeds it)";
    }

    private SearchSnapshot iteration(SearchSnapshot s) {
        long t0 = System.nanoTime();
        int it = s.iteration();
        Genome genome = s.genome();
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
        }
        List<IterationRecord> history = new ArrayList<>(s.history());
        Genome next;
        String stop = null;
        Genome best = s.best();
        double bestVal = s.bestValidationAccuracy();
        int accepted = 0;
        if (random()) {
            if (best == null || valAcc > bestVal) {
                best = pruned;
                bestVal = valAcc;
            }
            next = RandomArchitecture.sample(initial, maxRandomSplits(), budget, Seeds.derive(cfg.seed(), SAMPLE, it + 1));
        } else {
            MutationRound r = new SpiderNetMutation(scorer, budget, cfg.metrics(), cfg.goodCandidates())
                    .run(pruned, Seeds.derive(cfg.seed(), ROUND, it + 1));
            observer.roundFinished(it, r);
            accepted = r.accepted().size();
            next = r.genome();
            stop = noFitReason(r);
        }
        IterationRecord rec = new IterationRecord(it, genome.edgeCount(), opCount(genome), plan.parameterCount(),
                plan.memoryPlan().peakBytes(), measured, valAcc, deleted, accepted, (System.nanoTime() - t0) / 1e9);
        history.add(rec);
        observer.iterationFinished(rec);
        SearchSnapshot out;
        if (stop != null || it + 1 >= cfg.iterations()) {
            stop = stop != null ? stop : iterationLimit();
            observer.stopped(stop);
            Genome found = random() ? best : next;
            out = new SearchSnapshot(SearchPhase.FINAL_TRAINING, it + 1, found, 0, null, null, history, best, bestVal, stop);
        } else {
            out = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, it + 1, next, 0, null, null, history, best, bestVal, null);
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
                    s.history().size(), s.history(), h, trainer.prunedCount(), s.stopReason());
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
                observer.snapshot(new SearchSnapshot(phase, s.iteration(), s.genome(), m.epoch() + 1, tensors,
                        trainer.state(), s.history(), s.best(), s.bestValidationAccuracy(), s.stopReason()));
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
                        .add(gate.op());
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
