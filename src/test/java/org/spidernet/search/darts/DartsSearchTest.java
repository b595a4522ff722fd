package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.search.AlphaRecord;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DARTS as a strategy run in-process on small synthetic data on the reference backend: it
 * reports every group's weights after each epoch, its supernet's planned peak equals what the
 * backend measured, it derives a valid genotype that the final training trains and tests, a
 * run killed after any epoch's checkpoint and resumed from the checkpoint files on disk ends
 * with the identical genotype and test accuracy, and a supernet over the memory budget is refused
 * before anything is allocated, with the flags that would fit.
 */
class DartsSearchTest {

    private static final class Crash extends RuntimeException {
    }

    private static SearchConfig config(long seed, long budget, int epochs, String mixing) {
        return config(seed, budget, epochs, mixing, "1");
    }

    private static SearchConfig config(long seed, long budget, int epochs, String mixing, String order) {
        TrainConfig tc = new TrainConfig(1, 8, 0.025, 0.9, 3e-4, 0, 1, true, 0, 0.5, 0.05, true, 1, 0.3, 0, seed, true);
        return new SearchConfig(1, 2, epochs, tc, 1, budget, 1, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), DartsStrategy.NAME, seed)
                .withOptions(Map.of("layers", "3", "mixing", mixing, "tau-max", "5", "tau-min", "0.5",
                        "arch-lr", "0.003", "arch-weight-decay", "0.001", "order", order));
    }

    /** A run in-process: its result (null when it crashed) and what it reported. */
    record Run(SearchRun.Result result, List<SearchSnapshot> snapshots, List<AlphaRecord> alphas) {
    }

    /**
     * Runs {@code cfg} on the reference backend (32 training, 8 validation, 8 test images of
     * {@code data}) from {@code resume}, writing each snapshot to {@code checkpoint} when given and
     * crashing after the {@code crashAfter}-th (never when -1). DartsOverSpaceTest runs with it too.
     */
    static Run run(SearchConfig cfg, ImageDataset data, SearchSnapshot resume, int crashAfter, Path checkpoint) {
        List<SearchSnapshot> snaps = new ArrayList<>();
        List<AlphaRecord> alphas = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void snapshot(SearchSnapshot s) {
                    snaps.add(s);
                    if (checkpoint != null) {
                        try {
                            SearchCheckpoint.write(checkpoint, s, cfg, 0);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    if (snaps.size() == crashAfter) {
                        throw new Crash();
                    }
                }

                @Override
                public void architectureWeights(List<AlphaRecord> latest, List<AlphaRecord> all) {
                    alphas.addAll(latest);
                }
            };
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48), null, obs);
            try {
                return new Run(run.run(resume), snaps, alphas);
            } catch (Crash c) {
                return new Run(null, snaps, alphas);
            }
        }
    }

    @Test
    void aSearchReportsAlphasDerivesAGenotypeAndResumesFromDiskToTheSameResult(@TempDir Path tmp) throws IOException {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 7, seed);
        SearchConfig cfg = config(seed, 1L << 40, 3, "softmax");
        Run full = run(cfg, data, null, -1, null);
        DartsNetwork found = DartsNetworkJson.read(full.result().network().json());
        assertEquals(DartsSpace.NAME, full.result().network().space());
        assertEquals(3, found.skeleton().layers());
        assertEquals(3, full.result().history().size());
        assertEquals(6, full.alphas().size(), "two groups after each of three epochs");
        for (AlphaRecord r : full.alphas()) {
            assertEquals(14, r.weights().length);
            for (double[] row : r.weights()) {
                assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-12, "a softmax row");
            }
        }
        // the weights moved: Adam at lr 3e-3 changes every alpha by about that much per step
        double[] first = full.alphas().get(0).weights()[0];
        double[] last = full.alphas().get(4).weights()[0];
        assertTrue(!java.util.Arrays.equals(first, last), "the normal cells' first row did not change");
        for (IterationRecord r : full.result().history()) {
            assertEquals(r.plannedPeakBytes(), r.measuredPeakBytes(), "supernet iteration " + r.iteration());
        }
        assertTrue(full.result().test().accuracy() >= 0 && full.result().params() > 0);

        for (int crashAt : new int[]{1, 2}) {
            Path dir = tmp.resolve("crash" + crashAt);
            run(cfg, data, null, crashAt, dir);
            SearchSnapshot fromDisk = SearchCheckpoint.read(dir);
            assertEquals(SearchPhase.SEARCH_TRAINING, fromDisk.phase());
            assertEquals(crashAt, fromDisk.epochsCompleted());
            Run resumed = run(cfg, data, fromDisk, -1, null);
            assertEquals(full.result().network(), resumed.result().network(), "seed " + seed + ", killed after epoch " + crashAt);
            assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0, "seed " + seed);
            assertEquals(full.result().history().size(), resumed.result().history().size());
        }
    }

    @Test
    void theGumbelPathSearchesToo() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 7, seed);
        Run r = run(config(seed, 1L << 40, 2, "gumbel"), data, null, -1, null);
        assertEquals(DartsSpace.NAME, r.result().network().space());
        assertEquals(4, r.alphas().size());
    }

    @Test
    void theSecondOrderSearchRunsAndPlansItsParameterCopies() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 7, seed);
        Run r = run(config(seed, 1L << 40, 1, "softmax", "2"), data, null, -1, null);
        assertEquals(DartsSpace.NAME, r.result().network().space());
        IterationRecord it = r.result().history().get(0);
        assertEquals(it.plannedPeakBytes(), it.measuredPeakBytes(), "the plan's peak plus two parameter copies");
        DartsSkeleton s = new DartsSkeleton(new org.spidernet.graph.InputSpec(1, 7, 7, 3), 2, 3);
        var mix = org.spidernet.graph.ir.AlphaGroup.Mixing.SOFTMAX;
        assertEquals(2 * it.params() * 8, SupernetFit.plannedPeak(s, mix, 8, 8, true) - SupernetFit.plannedPeak(s, mix, 8, 8, false));
    }

    @Test
    void aSupernetOverTheBudgetIsRefusedWithTheFlagsThatFit() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 7, seed);
        DartsSkeleton s = new DartsSkeleton(new org.spidernet.graph.InputSpec(1, 7, 7, 3), 2, 3);
        long peak = SupernetFit.plannedPeak(s, org.spidernet.graph.ir.AlphaGroup.Mixing.SOFTMAX, 8, 8, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(config(seed, peak - 1, 1, "softmax"), data, null, -1, null));
        assertTrue(e.getMessage().startsWith("the DARTS supernet (C=2, 3 cells, batch 8) plans a training peak of"),
                e.getMessage());
        assertTrue(e.getMessage().contains("it fits with --batch 4"), e.getMessage());
    }
}
