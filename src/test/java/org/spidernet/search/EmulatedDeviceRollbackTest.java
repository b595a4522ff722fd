package org.spidernet.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backends;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backend;
import org.spidernet.backend.cuda.EmulatedCudaBackendProvider;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

/**
 * A search on the CUDA backend running on an emulated device of 64 MiB: the memory pool of the
 * emulated device itself refuses the grown network (out-of-memory from the native allocator, not
 * from a Java-side ledger), the search rolls the round back, lowers its budget, grows again within
 * the device and finishes with a network that fits. The batch is chosen so that the initial net
 * fits the device and the net grown in every cell does not. Train-free scores are drawn from the
 * candidate's seed (every split good), so where the device runs out is known in advance. Skipped
 * where this JVM has no emulated device (on a GPU machine, or without the native build).
 */
class EmulatedDeviceRollbackTest {
    private static final long DEVICE = 64L << 20;
    private static final long UNLIMITED_BUDGET = 1L << 40;
    private static final int IMAGE = 8;

    private record DrawnScores() implements CandidateScorer {
        @Override
        public Scores score(Genome current, EdgeSplit split, long seed) {
            Random r = new Random(seed);
            double lrc = 0.01 + r.nextDouble();
            double ntk = -(0.01 + r.nextDouble());
            return new Scores(Map.of("lrc", 1 + lrc, "ntk_centred", 1 + ntk), Map.of("lrc", 1.0, "ntk_centred", 1.0),
                    Map.of("lrc", lrc, "ntk_centred", ntk));
        }

        @Override
        public boolean higherIsBetter(String metric) {
            return metric.equals("lrc");
        }
    }

    private static SearchConfig config(long seed, int batch) {
        TrainConfig tc = new TrainConfig(1, batch, 0.05, 0.9, 3e-4, 0.0, 0, false, 0, 0.0, 0.05, true, 1, 0.3, 0,
                seed, false);
        return new SearchConfig(1, 2, 2, tc, 1, UNLIMITED_BUDGET, 1, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), "spidernet", seed);
    }

    /** The initial net with one split in every cell: what the first round grows under an unlimited budget. */
    private static long grownPeak(Genome initial, MemoryBudget budget) {
        Genome grown = initial;
        for (int k = 0; k < initial.cells().size(); k++) {
            grown = EdgeSplit.candidates(grown, k).get(0).applyTo(grown);
        }
        return budget.plannedPeak(grown);
    }

    @Test
    void theEmulatedDevicesOwnPoolMakesTheSearchRollBackAndContinue() {
        BackendProvider provider = Backends.providers().stream()
                .filter(p -> p.name().equals(EmulatedCudaBackendProvider.NAME)).findFirst().orElseThrow();
        Availability availability = Backends.availability(provider);
        assumeTrue(availability.usable(), "no emulated CUDA device in this JVM: " + availability.detail());
        long seed = System.nanoTime();
        Genome initial = Genome.initial(new InputSpec(1, IMAGE, IMAGE, 3), 2, 1);

        // the smallest batch whose grown net overflows the device; its initial net must still fit
        int batch = 2;
        while (grownPeak(initial, new MemoryBudget(UNLIMITED_BUDGET, batch, Float.BYTES)) <= DEVICE) {
            batch += batch / 4 + 1;
        }
        MemoryBudget budget = new MemoryBudget(UNLIMITED_BUDGET, batch, Float.BYTES);
        long initialPeak = budget.plannedPeak(initial);
        assertTrue(initialPeak < DEVICE * 3 / 4, "batch " + batch + ": the initial net needs " + initialPeak + " B");

        ImageDataset data = SyntheticImages.make(batch + 16, 3, IMAGE, seed);
        SearchConfig cfg = config(seed, batch);
        List<RoundRollback> rollbacks = new ArrayList<>();
        SearchRun.Result result;
        try (Backend device = provider.open(DEVICE)) {
            SearchRun.Observer observer = new SearchRun.Observer() {
                @Override
                public void rolledBack(RoundRollback rollback) {
                    rollbacks.add(rollback);
                }
            };
            SearchRun run = new SearchRun(cfg, device, data.subset(0, batch), data.subset(batch, batch + 8),
                    data.subset(batch + 8, batch + 16), new DrawnScores(), observer);
            result = run.run(null);
            assertEquals(0, device.memory().liveTensors(), "no tensor may outlive the search");
        }
        assertNotNull(result);
        assertTrue(result.outOfMemoryRollbacks() >= 1, "seed " + seed + ", batch " + batch);
        RoundRollback first = rollbacks.get(0);
        assertTrue(first.plannedPeakBytes() > DEVICE, first.toString());
        assertTrue(first.error().contains("out of memory") || first.error().contains("cannot allocate"), first.error());
        assertTrue(first.budgetAfter() <= DEVICE, "the lowered budget fits the device: " + first);
        assertTrue(result.plannedPeakBytes() <= DEVICE, "the found network fits the device");
        assertTrue(result.genome().edgeCount() > initial.edgeCount(), "the search grew again after the rollback");
        for (IterationRecord it : result.history()) {
            assertTrue(it.plannedPeakBytes() <= DEVICE, "trained within the device: " + it);
        }
        System.out.println("emulated 64 MiB device: batch " + batch + ", initial peak " + initialPeak + " B, rollbacks "
                + result.outOfMemoryRollbacks() + ", found " + result.genome().edgeCount() + " edges, peak "
                + result.plannedPeakBytes() + " B");
    }
}
