package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NASWOT v2 against an independent computation: the network built here, each sample's code as a
 * boolean array, K from explicit Hamming distances, and log det K by Cholesky (K is positive
 * definite when the codes are distinct). Tolerance 1e-10 relative: K is an integer matrix held
 * exactly, so only the two factorisations' rounding differs.
 */
class HammingLogDetTest {
    private static final InputSpec INPUT = new InputSpec(2, 6, 6, 3);
    private static final int BATCH = 8;

    @Test
    void logDetOfExplicitHammingKernel() {
        long seed = System.nanoTime();
        String where = "seed " + seed;
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.SEP_CONV_3X3, OpType.SEP_CONV_5X5, OpType.IDENTITY));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 20, seed));
            for (Set<EdgeRef> off : List.of(Set.<EdgeRef>of(), EdgeRef.newEdgesOf(Fixtures.SPLIT))) {
                boolean[][] codes;
                try (Network net = Fixtures.network(b, ctx, genome, BATCH, PlanOptions.TRAINING, InitScheme.FAN_IN, off)) {
                    net.forward(ImageBatchSampler.of(ctx).next(BATCH).pixels(), true, 0.0, null);
                    List<double[]> relus = net.reluInputs();
                    int units = 0;
                    for (double[] a : relus) {
                        units += a.length / BATCH;
                    }
                    codes = new boolean[BATCH][units];
                    for (int n = 0; n < BATCH; n++) {
                        int u = 0;
                        for (double[] a : relus) {
                            int per = a.length / BATCH;
                            for (int t = 0; t < per; t++) {
                                codes[n][u++] = a[n * per + t] > 0;
                            }
                        }
                    }
                }
                double[][] k = new double[BATCH][BATCH];
                for (int i = 0; i < BATCH; i++) {
                    for (int j = 0; j < BATCH; j++) {
                        int hamming = 0;
                        for (int u = 0; u < codes[i].length; u++) {
                            if (codes[i][u] != codes[j][u]) {
                                hamming++;
                            }
                        }
                        k[i][j] = codes[i].length - hamming;
                    }
                }
                double expected = DenseReference.logDetSpd(k);
                MetricResult r = new HammingLogDet(0, BATCH).score(ctx, off);
                assertEquals(MetricResult.Status.OK, r.status(), where + ": " + r);
                assertTrue(Fixtures.close(expected, r.value(), 1e-10, 0),
                        where + " switched off " + off + ": " + r.value() + " vs " + expected);
            }
        }
    }

    @Test
    void duplicateCodesMakeKSingularAndTheScoreAFailure() {
        // constant images normalise to 0: every sample has the same code, K has rank one
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.SEP_CONV_3X3));
            ScoringContext ctx = ScoringContext.of(b, genome, 3, Fixtures.constantImages(INPUT, 10));
            MetricResult r = new HammingLogDet(0, 4).score(ctx);
            assertEquals(MetricResult.Status.NON_FINITE, r.status(), r.toString());
            assertEquals(Double.NEGATIVE_INFINITY, r.raw());
        }
    }

    @Test
    void packedCodesTellSamplesApartAcrossWordBoundaries() {
        // 130 units: three 64-bit words, the last one partly used. Samples 0 and 1 differ only in
        // unit 129 (bit 1 of the last word), sample 2 repeats sample 0; an exact zero is "not positive".
        int units = 130;
        java.util.Random r = new java.util.Random(5);
        double[] a = new double[3 * units];
        for (int u = 0; u < units; u++) {
            double v = u == 7 ? 0.0 : r.nextGaussian();
            a[u] = v;
            a[units + u] = v;
            a[2 * units + u] = v;
        }
        a[units + 129] = a[129] > 0 ? -1.0 : 1.0;
        a[2 * units + 7] = -0.5; // 0 and -0.5 share the bit
        ActivationCodes codes = new ActivationCodes(3, units);
        codes.append(List.of(a), 3);
        assertEquals(2, codes.distinctCount());
    }
}
