package org.spidernet.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.Backend;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.spidernet.SpiderNetMutation;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search on a device that holds less than its memory budget says (the reference backend with an
 * emulated capacity): candidates whose scoring does not fit are rejected as OUT_OF_MEMORY and the
 * round goes on; a grown network that does not fit for training is rolled back, the budget is
 * lowered and the search completes with a network that fits; nothing leaks; a resumed run ends as
 * the uninterrupted one; an out-of-memory with nothing to undo, or in the final training, is an
 * error naming it. Tiny networks (C=2, R=1, 8x8 images) keep each search to about a second.
 */
class OutOfMemorySearchTest {
    private static final long UNLIMITED_BUDGET = 1L << 40;

    private static SearchConfig config(long seed, int iterations, String strategy, int goodCandidates) {
        TrainConfig tc = new TrainConfig(2, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, seed, false);
        return new SearchConfig(1, 2, iterations, tc, 1, UNLIMITED_BUDGET, goodCandidates, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), strategy, seed);
    }

    /**
     * Train-free scores drawn from the candidate's seed, allocating nothing: every candidate is
     * good (linear regions up, NTK condition number down), or none is. With it every round grows
     * one split per cell, whatever the data, so where the device runs out is known in advance.
     */
    private record DrawnScores(boolean good) implements CandidateScorer {
        @Override
        public Scores score(Genome current, EdgeSplit split, long seed) {
            Random r = new Random(seed);
            double lrc = (good ? 1 : -1) * (0.01 + r.nextDouble());
            double ntk = (good ? -1 : 1) * (0.01 + r.nextDouble());
            return new Scores(Map.of("lrc", 1 + lrc, "ntk_centred", 1 + ntk), Map.of("lrc", 1.0, "ntk_centred", 1.0),
                    Map.of("lrc", lrc, "ntk_centred", ntk));
        }

        @Override
        public boolean higherIsBetter(String metric) {
            return metric.equals("lrc");
        }
    }

    private static final class Crash extends RuntimeException {
    }

    private record Run(SearchRun.Result result, List<SearchSnapshot> snapshots, List<MutationRound> rounds,
                       List<RoundRollback> rollbacks, long liveTensorsAfter, long liveTensorsAtRollback) {
    }

    private static Run run(SearchConfig cfg, ImageDataset data, long capacity, Function<Backend, CandidateScorer> scorer,
                           SearchSnapshot resume, int crashAfter) {
        List<SearchSnapshot> snaps = new ArrayList<>();
        List<MutationRound> rounds = new ArrayList<>();
        List<RoundRollback> rollbacks = new ArrayList<>();
        long[] liveAtRollback = {0};
        try (ReferenceBackend b = new ReferenceBackend(capacity)) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void snapshot(SearchSnapshot s) {
                    snaps.add(s);
                    if (snaps.size() == crashAfter) {
                        throw new Crash();
                    }
                }

                @Override
                public void roundFinished(int iteration, MutationRound round) {
                    rounds.add(round);
                }

                @Override
                public void rolledBack(RoundRollback rollback) {
                    rollbacks.add(rollback);
                    liveAtRollback[0] = Math.max(liveAtRollback[0], b.memory().liveTensors());
                }
            };
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48),
                    scorer.apply(b), obs);
            SearchRun.Result result;
            try {
                result = run.run(resume);
            } catch (Crash c) {
                result = null;
            }
            return new Run(result, snaps, rounds, rollbacks, b.memory().liveTensors(), liveAtRollback[0]);
        }
    }

    private static Function<Backend, CandidateScorer> drawn(boolean good) {
        return b -> new DrawnScores(good);
    }

    private static MemoryBudget budgetFor(SearchConfig cfg) {
        return new MemoryBudget(UNLIMITED_BUDGET, cfg.train().batch(), Double.BYTES);
    }

    private static Genome initial(ImageDataset data, SearchConfig cfg) {
        return Genome.initial(new InputSpec(data.channels(), data.height(), data.width(), data.numClasses()),
                cfg.channels(), cfg.reductions());
    }

    /** The smallest planned training peak of the initial net grown by one split. */
    private static long smallestChildPeak(Genome initial, MemoryBudget budget) {
        long min = Long.MAX_VALUE;
        for (int k = 0; k < initial.cells().size(); k++) {
            for (EdgeSplit s : EdgeSplit.candidates(initial, k)) {
                min = Math.min(min, budget.plannedPeak(s.applyTo(initial)));
            }
        }
        return min;
    }

    @Test
    void candidatesWhoseScoringDoesNotFitAreRejectedAndTheRoundGoesOn() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 1, "spidernet", 10);
        Genome initial = initial(data, cfg);
        // what scoring each candidate of the initial net takes at most, on an unlimited device
        Map<EdgeSplit, Long> scoringPeak = new HashMap<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            MetricCandidateScorer scorer = new MetricCandidateScorer(b, data.subset(0, 32), cfg.metrics(), 1, cfg.scoring());
            for (int k = 0; k < initial.cells().size(); k++) {
                for (EdgeSplit s : EdgeSplit.candidates(initial, k)) {
                    b.resetPeak();
                    try {
                        scorer.score(initial, s, seed);
                    } catch (ScoringFailure ignored) {
                        // a metric may fail on random data; its memory was taken all the same
                    }
                    scoringPeak.put(s, b.memory().peakBytes());
                }
            }
        }
        long lo = scoringPeak.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long hi = scoringPeak.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(lo < hi, "the fixture needs candidates of different scoring sizes, got " + scoringPeak);
        long capacity = (lo + hi) / 2;

        try (ReferenceBackend b = new ReferenceBackend(capacity)) {
            MetricCandidateScorer scorer = new MetricCandidateScorer(b, data.subset(0, 32), cfg.metrics(), 1, cfg.scoring());
            MutationRound round = new SpiderNetMutation(scorer, budgetFor(cfg), cfg.metrics(), cfg.goodCandidates())
                    .run(initial, seed);
            assertEquals(0, b.memory().liveTensors(), "scoring must free its networks, also when it runs out");
            int firstGrown = round.accepted().stream().mapToInt(EdgeSplit::cell).min().orElse(Integer.MAX_VALUE);
            int outOfMemory = 0;
            int scored = 0;
            for (CandidateRecord c : round.candidates()) {
                if (c.decision() == CandidateDecision.OUT_OF_MEMORY) {
                    outOfMemory++;
                    assertTrue(Double.isNaN(c.score()) && c.deltas().isEmpty(), "never a score: " + c);
                    assertTrue(c.reason().contains("out of device memory") && c.reason().contains(capacity + " B capacity"),
                            c.reason());
                } else {
                    scored++;
                }
                if (c.split().cell() <= firstGrown) { // scored on the initial net, as measured above
                    boolean fits = scoringPeak.get(c.split()) <= capacity;
                    assertEquals(!fits, c.decision() == CandidateDecision.OUT_OF_MEMORY,
                            "seed " + seed + ", capacity " + capacity + ": " + c.split() + " needs " + scoringPeak.get(c.split())
                                    + " B to score, decision " + c.decision());
                }
            }
            assertTrue(outOfMemory > 0 && scored > 0, "seed " + seed + ": " + round.candidates());
        }
    }

    @Test
    void aGrownNetworkThatDoesNotFitIsRolledBackAndTheSearchCompletes() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 2, "spidernet", 1);
        Genome initial = initial(data, cfg);
        MemoryBudget budget = budgetFor(cfg);
        long capacity = smallestChildPeak(initial, budget); // one split fits, one per cell does not

        Run run = run(cfg, data, capacity, drawn(true), null, -1);
        SearchRun.Result r = run.result();
        assertNotNull(r);
        assertEquals(0, run.liveTensorsAfter(), "no tensor may outlive the search");
        assertEquals(0, run.liveTensorsAtRollback(), "the failed network is freed before the round is undone");
        assertTrue(r.outOfMemoryRollbacks() >= 1 && run.rollbacks().size() == r.outOfMemoryRollbacks(), "seed " + seed);

        MutationRound first = run.rounds().get(0);
        assertEquals(initial.cells().size(), first.accepted().size(), "under the unlimited budget every cell grows");
        RoundRollback rb = run.rollbacks().get(0);
        assertEquals(0, rb.iteration());
        assertEquals(first.genome(), rb.failed());
        assertEquals(initial, rb.parent());
        assertEquals(first.accepted(), rb.rejected());
        assertEquals(budget.plannedPeak(first.genome()), rb.plannedPeakBytes());
        assertTrue(rb.plannedPeakBytes() > capacity, "seed " + seed);
        assertEquals(UNLIMITED_BUDGET, rb.budgetBefore());
        assertEquals(capacity, rb.budgetAfter(), "below the failed peak, and no more than the device reported room for");
        assertTrue(rb.error().contains("cannot allocate") && rb.error().contains(capacity + " B capacity"), rb.error());

        // the round is run again from the parent under the lowered budget: what does not fit is never built
        MutationRound again = run.rounds().get(1);
        assertTrue(again.candidates().stream().anyMatch(c -> c.decision() == CandidateDecision.OVER_BUDGET), "seed " + seed);
        assertTrue(again.grew(), "the smallest split fits the lowered budget exactly");
        assertTrue(budget.plannedPeak(again.genome()) <= capacity);

        // a rollback costs no iteration: iteration 0 trains the network grown again
        assertEquals(0, r.history().get(0).iteration());
        assertEquals(again.genome().edgeCount(), r.history().get(0).edges());
        for (IterationRecord it : r.history()) {
            assertTrue(it.plannedPeakBytes() <= capacity, "trained within the device: " + it);
            assertEquals(it.plannedPeakBytes(), it.measuredPeakBytes(), "planned = measured: " + it);
        }
        assertTrue(r.plannedPeakBytes() <= capacity, "the found network fits the device");
        assertTrue(budget.plannedPeak(r.genome()) <= capacity);
        assertTrue(r.memoryBudgetBytes() <= capacity);
        assertTrue(r.stopReason().contains("rolled back for running out of device memory") && r.stopReason().contains(capacity + " B"),
                r.stopReason());
        assertTrue(run.snapshots().stream().anyMatch(s -> s.outOfMemoryRollbacks() == 1 && s.memoryBudgetBytes() == capacity
                && s.phase() == SearchPhase.SEARCH_TRAINING && s.iteration() == 0), "the rollback is checkpointed");
    }

    @Test
    void resumingAroundARollbackGivesTheUninterruptedResult(@TempDir Path tmp) throws IOException {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 2, "spidernet", 1);
        long capacity = smallestChildPeak(initial(data, cfg), budgetFor(cfg));
        Run full = run(cfg, data, capacity, drawn(true), null, -1);
        int rolledBack = 0;
        while (full.snapshots().get(rolledBack).outOfMemoryRollbacks() == 0) {
            rolledBack++;
        }
        assertTrue(rolledBack >= 1, "the grown network is checkpointed before it is trained");
        // crash before the out-of-memory (the resumed run meets it itself), right after the
        // rollback, and at the last checkpoint before the final training
        for (int crashAt : new int[]{rolledBack, rolledBack + 1, full.snapshots().size() - 1}) {
            Run crashed = run(cfg, data, capacity, drawn(true), null, crashAt);
            SearchSnapshot last = crashed.snapshots().get(crashAt - 1);
            Path dir = tmp.resolve("ck" + crashAt);
            SearchCheckpoint.write(dir, last, cfg, 0);
            SearchSnapshot read = SearchCheckpoint.read(dir);
            assertEquals(last.memoryBudgetBytes(), read.memoryBudgetBytes(), "the lowered budget is saved");
            assertEquals(last.parent(), read.parent());
            assertEquals(last.grownBy(), read.grownBy());
            assertEquals(last.outOfMemoryRollbacks(), read.outOfMemoryRollbacks());
            Run resumed = run(cfg, data, capacity, drawn(true), read, -1);
            String where = "seed " + seed + ", crash after checkpoint " + crashAt;
            assertEquals(full.result().genome(), resumed.result().genome(), where);
            assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0, where);
            assertEquals(full.result().history().size(), resumed.result().history().size(), where);
            assertEquals(full.result().outOfMemoryRollbacks(), resumed.result().outOfMemoryRollbacks(), where);
            assertEquals(full.result().memoryBudgetBytes(), resumed.result().memoryBudgetBytes(), where);
            assertEquals(full.result().stopReason(), resumed.result().stopReason(), where);
            assertEquals(0, resumed.liveTensorsAfter(), where);
        }
    }

    @Test
    void outOfMemoryInTheFinalTrainingIsAnErrorAndWritesNoFurtherCheckpoint() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 0, "spidernet", 1); // the first round's net goes straight to final training
        Genome initial = initial(data, cfg);
        long capacity = budgetFor(cfg).plannedPeak(initial);
        List<SearchSnapshot> snaps = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend(capacity)) {
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48),
                    new DrawnScores(true), new SearchRun.Observer() {
                        @Override
                        public void snapshot(SearchSnapshot s) {
                            snaps.add(s);
                        }
                    });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.run(null));
            assertTrue(e.getMessage().startsWith("out of device memory in the final training of the found network")
                    && e.getMessage().contains("checkpoints are intact"), e.getMessage());
            assertEquals(0, b.memory().liveTensors());
            assertEquals(1, snaps.size(), "only the checkpoint taken before the final training");
            assertEquals(SearchPhase.FINAL_TRAINING, snaps.get(0).phase());
            assertTrue(e.getMessage().contains(budgetFor(cfg).plannedPeak(snaps.get(0).genome()) + " B"), e.getMessage());
        }
    }

    @Test
    void outOfMemoryWithNothingToUndoIsAnError() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 1, "spidernet", 1);
        long initialPeak = budgetFor(cfg).plannedPeak(initial(data, cfg));
        // no candidate is ever good, so the search trains the initial net, which the device cannot hold
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(cfg, data, initialPeak - 1 - new Random(seed).nextInt(1000), drawn(false), null, -1));
        assertTrue(e.getMessage().contains("search iteration 0") && e.getMessage().contains("no growth to undo")
                && e.getMessage().contains("planned peak " + initialPeak + " B"), e.getMessage());

        // every candidate good: the grown net fails, and undoing it would not help, as the initial net does not fit either
        long capacity = initialPeak - 1 - new Random(seed).nextInt(1000);
        IllegalStateException grown = assertThrows(IllegalStateException.class,
                () -> run(cfg, data, capacity, drawn(true), null, -1));
        assertTrue(grown.getMessage().contains("the device has room for " + capacity + " B, less than the " + initialPeak
                + " B planned peak of the network it was grown from"), grown.getMessage());
    }

    @Test
    void randomSearchDrawsAgainUnderTheLoweredBudget() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 2, "random", 1);
        long capacity = budgetFor(cfg).plannedPeak(initial(data, cfg));
        Run run = run(cfg, data, capacity, drawn(true), null, -1);
        SearchRun.Result r = run.result();
        assertNotNull(r);
        assertEquals(0, run.liveTensorsAfter());
        for (IterationRecord it : r.history()) {
            assertTrue(it.plannedPeakBytes() <= capacity, "seed " + seed + ": " + it);
        }
        assertTrue(r.plannedPeakBytes() <= capacity);
        for (RoundRollback rb : run.rollbacks()) {
            assertTrue(rb.rejected().isEmpty() && rb.plannedPeakBytes() > capacity && rb.budgetAfter() <= capacity, rb.toString());
        }
        assertEquals(run.rollbacks().size(), r.outOfMemoryRollbacks());
    }
}
