package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linear regions against an independent count: the width-1, stem-less network built here from
 * the exec API, fed the same crops, each sample's sign pattern written out as a string of '0' and
 * '1' and the distinct strings counted with a HashSet, pooled over the batches. Counts are exact.
 */
class LinearRegionCountTest {
    private static final InputSpec INPUT = new InputSpec(3, 6, 6, 4);
    private static final int BATCHES = 3;
    private static final int BATCH = 40;

    @Test
    void distinctSignPatternsPooledOverBatches() {
        long seed = System.nanoTime();
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 4, List.of(OpType.SEP_CONV_3X3, OpType.MAX_POOL_3X3));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 30, seed));
            for (Set<EdgeRef> off : List.of(Set.<EdgeRef>of(), EdgeRef.newEdgesOf(Fixtures.SPLIT))) {
                Set<String> pooled = new HashSet<>();
                int perBatchSum = 0;
                Genome thin = new Genome(new InputSpec(1, 3, 3, INPUT.classes()), 1, genome.reductions(), genome.cells());
                CropSampler crops = CropSampler.of(ctx);
                try (Network net = Fixtures.network(b, ctx, thin, BATCH, PlanOptions.TRAINING.withoutStem(),
                        InitScheme.FAN_IN, off)) {
                    for (int k = 0; k < BATCHES; k++) {
                        net.forward(crops.next(BATCH), true, 0.0, null);
                        List<double[]> relus = net.reluInputs();
                        Set<String> batch = new HashSet<>();
                        for (int n = 0; n < BATCH; n++) {
                            StringBuilder code = new StringBuilder();
                            for (double[] a : relus) {
                                int per = a.length / BATCH;
                                for (int u = 0; u < per; u++) {
                                    code.append(a[n * per + u] > 0 ? '1' : '0');
                                }
                            }
                            batch.add(code.toString());
                        }
                        perBatchSum += batch.size();
                        pooled.addAll(batch);
                    }
                }
                MetricResult r = new LinearRegionCount(BATCHES, BATCH).score(ctx, off);
                assertEquals(MetricResult.Status.OK, r.status(), "seed " + seed + ": " + r);
                assertEquals(pooled.size(), r.value(), "seed " + seed + " switched off " + off);
                assertTrue(pooled.size() > 1, "seed " + seed + ": a trivial count tests nothing");
                // the pooled count is what the reference reports, not the mean of per-batch counts
                // (random crops in different batches give different patterns, so the two differ here)
                assertTrue(r.value() > perBatchSum / (double) BATCHES,
                        "seed " + seed + ": pooled " + r.value() + ", mean per batch " + perBatchSum / (double) BATCHES);
            }
        }
    }

    @Test
    void aNetworkWithoutReluIsOneRegion() {
        long seed = System.nanoTime();
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.IDENTITY, OpType.AVG_POOL_3X3, OpType.DIL_CONV_3X3));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 10, seed));
            assertEquals(1.0, new LinearRegionCount(2, 16).score(ctx).value());
        }
    }

    @Test
    void identicalInputsShareOneRegion() {
        // every crop of a constant image normalises to 0: one input, one sign pattern
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.SEP_CONV_3X3, OpType.SEP_CONV_5X5));
            ScoringContext ctx = ScoringContext.of(b, genome, 7, Fixtures.constantImages(INPUT, 5));
            assertEquals(1.0, new LinearRegionCount(2, 16).score(ctx).value());
        }
    }

    @Test
    void sameContextSameCount() {
        long seed = System.nanoTime();
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.SEP_CONV_3X3));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 10, seed));
            LinearRegionCount lrc = new LinearRegionCount(2, 30);
            assertEquals(lrc.score(ctx), lrc.score(ctx), "seed " + seed);
        }
    }
}
