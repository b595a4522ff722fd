package org.spidernet.search.tiny;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchLimits;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategies;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test-only {@link TinyStrategy} through the plug-in registry and the shared context, end to
 * end on synthetic images: it samples, trains, reports snapshots, stops on every kind of limit,
 * resumes, and its found network is trained finally and tested.
 */
class TinyStrategyTest {
    private static final long SEED = 11;
    private static final ImageDataset DATA = SyntheticImages.make(48, 3, 8, SEED);

    private static SearchConfig config(int iterations) {
        TrainConfig tc = new TrainConfig(1, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, SEED, false);
        return new SearchConfig(1, 2, iterations, tc, 1, 1L << 40, 1, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), "tiny", SEED);
    }

    private record Run(SearchRun.Result result, List<SearchSnapshot> snapshots, List<IterationRecord> iterations,
                       Genome initial) {
    }

    private static final class Crash extends RuntimeException {
    }

    private static Run run(SearchConfig cfg, SearchLimits limits, SearchSnapshot resume, int crashAfter) {
        List<SearchSnapshot> snaps = new ArrayList<>();
        List<IterationRecord> iterations = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void snapshot(SearchSnapshot s) {
                    snaps.add(s);
                    if (snaps.size() == crashAfter) {
                        throw new Crash();
                    }
                }

                @Override
                public void iterationFinished(IterationRecord r) {
                    iterations.add(r);
                }
            };
            SearchRun run = new SearchRun(cfg, SearchStrategies.byName("tiny"), b, DATA.subset(0, 32),
                    DATA.subset(32, 40), DATA.subset(40, 48), null, obs, limits);
            try {
                return new Run(run.run(resume), snaps, iterations, run.initialGenome());
            } catch (Crash c) {
                return new Run(null, snaps, iterations, run.initialGenome());
            }
        }
    }

    @Test
    void aStrategyFromTestSourcesRunsThroughTheContext() {
        Run r = run(config(2), SearchLimits.NONE, null, -1);
        assertEquals(2, r.iterations().size());
        assertEquals("iteration limit reached (2 iterations)", r.result().stopReason());
        assertTrue(r.result().test().accuracy() >= 0 && r.result().test().accuracy() <= 1);
        assertEquals(1, r.result().finalTraining().size(), "one final epoch");
        // every trained network was a sample, and the found one is the best of them, pruned
        List<SearchSnapshot> trained = r.snapshots().stream()
                .filter(s -> s.phase() == SearchPhase.SEARCH_TRAINING && s.epochsCompleted() == 0).toList();
        assertEquals(2, trained.size());
        assertTrue(trained.stream().anyMatch(s -> !s.genome().equals(r.initial())), "no sample left the initial net");
        SearchSnapshot last = r.snapshots().get(r.snapshots().size() - 1);
        assertEquals(SearchPhase.FINAL_TRAINING, last.phase());
        assertEquals(last.best(), r.result().genome());
        double bestVal = r.iterations().stream().mapToDouble(IterationRecord::validationAccuracy).max().orElseThrow();
        assertEquals(bestVal, last.bestValidationAccuracy(), 0.0);
        // the same seed draws the same samples
        assertEquals(r.result().genome(), run(config(2), SearchLimits.NONE, null, -1).result().genome());
    }

    @Test
    void anImageLimitStopsTheSearchAfterTheIterationThatReachesIt() {
        SearchConfig cfg = config(5);
        long perIteration = (long) cfg.train().epochs() * 32;
        Run r = run(cfg, new SearchLimits(perIteration + 1, Double.POSITIVE_INFINITY), null, -1);
        assertEquals(2, r.iterations().size(), "the first iteration leaves one image of the limit, the second spends it");
        assertTrue(r.result().stopReason().startsWith("image limit reached (" + 2 * perIteration + " training images seen"),
                r.result().stopReason());
    }

    @Test
    void aSpentWallTimeStopsTheSearchBeforeItTrainsButTheFoundNetIsStillTrainedAndTested() {
        Run r = run(config(5), new SearchLimits(Long.MAX_VALUE, 0), null, -1);
        assertEquals(0, r.iterations().size());
        assertTrue(r.result().stopReason().startsWith("wall-time limit reached"), r.result().stopReason());
        assertEquals(1, r.result().finalTraining().size());
    }

    @Test
    void aResumedRunEndsAsTheUninterruptedOne() {
        Run full = run(config(2), SearchLimits.NONE, null, -1);
        Run crashed = run(config(2), SearchLimits.NONE, null, 3);
        SearchSnapshot last = crashed.snapshots().get(2);
        assertEquals(SearchPhase.SEARCH_TRAINING, last.phase());
        Run resumed = run(config(2), SearchLimits.NONE, last, -1);
        assertEquals(full.result().genome(), resumed.result().genome());
        assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0);
        assertNotEquals(0, resumed.snapshots().size());
    }
}
