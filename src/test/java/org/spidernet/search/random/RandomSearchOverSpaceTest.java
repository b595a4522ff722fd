package org.spidernet.search.random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.fade.FadeRegion;
import org.spidernet.search.fade.FadeSpace;
import org.spidernet.search.fade.RegionFiles;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random search pointed at a FaDE region file ({@code search --space}) on small synthetic data:
 * every network it trains is one of the region's architectures, the found one is the sample with
 * the best validation accuracy (the earliest of equals), the same seed finds the same network
 * with the same test accuracy, and a run killed after any checkpoint, resumed from the files on
 * disk, ends identically.
 */
class RandomSearchOverSpaceTest {
    private static final long SEED = 20240611L;
    private static final int ITERATIONS = 3;

    private static final class Crash extends RuntimeException {
    }

    private static SearchConfig config(Path region) {
        TrainConfig tc = new TrainConfig(2, 8, 0.05, 0.9, 3e-4, 0, 1, true, 0, 0.5, 0.05, true, 1, 0.3, 0, SEED, false);
        return new SearchConfig(1, 2, ITERATIONS, tc, 1, 1L << 40, 1, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), "random", SEED).withSpace(region.toString());
    }

    private record Run(SearchRun.Result result, List<SearchSnapshot> snapshots) {
    }

    private static Run run(SearchConfig cfg, ImageDataset data, SearchSnapshot resume, int crashAfter, Path checkpoint) {
        List<SearchSnapshot> snaps = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void snapshot(SearchSnapshot s) {
                    snaps.add(s);
                    if (checkpoint != null) {
                        try {
                            SearchCheckpoint.write(checkpoint, s, cfg, 0);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    if (snaps.size() == crashAfter) {
                        throw new Crash();
                    }
                }
            };
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48), null, obs);
            try {
                return new Run(run.run(resume), snaps);
            } catch (Crash c) {
                return new Run(null, snaps);
            }
        }
    }

    @Test
    void trainsRegionArchitecturesKeepsTheBestAndResumesFromDiskToTheSameResult(@TempDir Path tmp) throws IOException {
        ImageDataset data = SyntheticImages.make(48, 3, 8, SEED);
        FadeRegion region = RegionFiles.tiny(new InputSpec(1, 8, 8, 3));
        SearchConfig cfg = config(RegionFiles.write(tmp.resolve("region.json"), region));
        Set<String> architectures = RegionFiles.architectures(region);

        Run full = run(cfg, data, null, -1, null);
        List<IterationRecord> history = full.result().history();
        assertEquals(ITERATIONS, history.size());
        Map<Integer, SpaceNetwork> trained = new HashMap<>();
        for (SearchSnapshot s : full.snapshots()) {
            if (s.phase() == SearchPhase.SEARCH_TRAINING) {
                assertEquals(FadeSpace.NAME, s.network().space());
                assertTrue(architectures.contains(s.network().json()), "iteration " + s.iteration() + " trained a network outside the region");
                assertNull(s.best(), "a sampled space keeps no genome");
                trained.put(s.iteration(), s.network());
            }
        }
        assertEquals(Set.of(0, 1, 2), trained.keySet());
        assertTrue(new java.util.HashSet<>(trained.values()).size() > 1, "this seed's three samples are not all alike");
        int best = 0;
        for (IterationRecord r : history) {
            assertTrue(r.params() > 0 && r.plannedPeakBytes() > 0, "iteration " + r.iteration());
            if (r.validationAccuracy() > history.get(best).validationAccuracy()) {
                best = r.iteration();
            }
        }
        assertEquals(trained.get(best), full.result().network(), "the found network is not the best sample");
        assertTrue(full.result().params() > 0 && full.result().test().accuracy() >= 0);

        Run again = run(cfg, data, null, -1, null);
        assertEquals(full.result().network(), again.result().network(), "same seed, another network");
        assertEquals(full.result().test().accuracy(), again.result().test().accuracy(), 0.0);

        int n = full.snapshots().size();
        assertEquals(ITERATIONS * 3 + 2, n, "a snapshot per sample and epoch, the finish and the final epoch");
        // after an epoch within an iteration, after an iteration's next sample, after the search's end
        for (int crashAt : new int[]{2, 4, n - 1}) {
            Path dir = tmp.resolve("crash" + crashAt);
            run(cfg, data, null, crashAt, dir);
            SearchConfig saved = SearchCheckpoint.config(dir);
            assertEquals(cfg, saved, "the space is saved with the configuration");
            Run resumed = run(saved, data, SearchCheckpoint.read(dir), -1, null);
            assertEquals(full.result().network(), resumed.result().network(), "crash after checkpoint " + crashAt);
            assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0, "crash after checkpoint " + crashAt);
            assertEquals(history.stream().map(RandomSearchOverSpaceTest::withoutSeconds).toList(),
                    resumed.result().history().stream().map(RandomSearchOverSpaceTest::withoutSeconds).toList(),
                    "crash after checkpoint " + crashAt);
        }
    }

    /** The record as it must repeat: the seconds are the machine's. */
    private static IterationRecord withoutSeconds(IterationRecord r) {
        return new IterationRecord(r.iteration(), r.edges(), r.ops(), r.params(), r.plannedPeakBytes(), r.measuredPeakBytes(),
                r.validationAccuracy(), r.opsDeleted(), r.splitsAccepted(), 0);
    }
}
