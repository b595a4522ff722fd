package org.spidernet.search;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search stopped abruptly right after any of its checkpoints and resumed from it ends with the
 * same found network and the same test accuracy as the uninterrupted run.
 */
class SearchResumeTest {

    private static final class Crash extends RuntimeException {
    }

    private static SearchConfig config(long seed, long budget) {
        TrainConfig tc = new TrainConfig(2, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, seed, false);
        return new SearchConfig(1, 2, 2, tc, 1, budget, 2, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), "spidernet", seed);
    }

    private record Run(SearchRun.Result result, List<SearchSnapshot> snapshots) {
    }

    private static Run run(SearchConfig cfg, ImageDataset data, SearchSnapshot resume, int crashAfter) {
        List<SearchSnapshot> snaps = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void snapshot(SearchSnapshot s) {
                    snaps.add(s);
                    if (snaps.size() == crashAfter) {
                        throw new Crash();
                    }
                }
            };
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48),
                    new MetricCandidateScorer(b, data.subset(0, 32), cfg.metrics(), cfg.inits(), cfg.scoring()), obs);
            try {
                return new Run(run.run(resume), snaps);
            } catch (Crash c) {
                return new Run(null, snaps);
            }
        }
    }

    @Test
    void resumeFromAnyCheckpointGivesTheUninterruptedResult() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed, 1L << 40);
        Run full = run(cfg, data, null, -1);
        int n = full.snapshots().size();
        assertTrue(n >= 5, "expected checkpoints after epochs and rounds, got " + n);
        // crash after a mid-training epoch checkpoint and after a mutation-round checkpoint
        for (int crashAt : new int[]{2, 4}) {
            Run crashed = run(cfg, data, null, crashAt);
            SearchSnapshot last = crashed.snapshots().get(crashAt - 1);
            Run resumed = run(cfg, data, last, -1);
            Genome expected = full.result().genome();
            assertEquals(expected, resumed.result().genome(), "seed " + seed + ", crash after checkpoint " + crashAt);
            assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0, "seed " + seed);
            assertEquals(full.result().history().size(), resumed.result().history().size());
        }
    }

    @Test
    void budgetTooSmallForAnySplitEndsCleanlyWithTheReason() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig probe = config(seed, 1L << 40);
        long initialPeak;
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun r = new SearchRun(probe, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48), null, null);
            initialPeak = r.budget().plannedPeak(r.initialGenome());
        }
        Run run = run(config(seed, initialPeak), data, null, -1);
        assertEquals(run.result().genome().edgeCount(), 5, "no split may be applied");
        assertTrue(run.result().stopReason().contains("no mutation fits the memory budget"), run.result().stopReason());
        assertEquals(0, run.result().iterations());

        SearchConfig tooSmall = config(seed, initialPeak - 1);
        assertThrows(IllegalArgumentException.class, () -> run(tooSmall, data, null, -1));
    }
}
