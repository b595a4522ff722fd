package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamInit;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NTK condition number against an independent computation: J by central finite differences of
 * each sample's logit sum (no backward pass), every gate's straight-through gradient as the
 * derivative with respect to a multiplier on its op's output (the op's last BatchNorm scale and
 * shift scaled together), G = J J^T, and extreme eigenvalues by power and inverse iteration.
 *
 * <p>It also pins down the batch null space (see {@link NtkConditionNumber}): each batch's rows
 * of J sum to zero, so G is singular and the spec's {@code ntk} reports a typed failure, while
 * {@code ntk_centred} equals lambda_max / lambda_(B+1), computed here by shifting the B null
 * directions up to lambda_max and taking the smallest eigenvalue of the result.
 *
 * <p>Tolerances: float64 central differences with h = 1e-5 are good to about 1e-9 relative, so G
 * must agree to 1e-7 of its largest entry; an error dG moves an eigenvalue by at most ||dG||, so
 * kappa must lie in the interval that the measured ||dG|| allows (a fixed relative tolerance
 * would not do: the error of kappa grows with kappa itself).
 */
class NtkConditionNumberTest {
    private static final double H = 1e-5;
    private static final int WIDTH = 2;
    private static final int BATCHES = 2;
    private static final int BATCH = 3;

    @Test
    void childMatchesFiniteDifferences() {
        check(Set.of());
    }

    @Test
    void parentWithSwitchedOffEdgesMatchesFiniteDifferences() {
        check(EdgeRef.newEdgesOf(Fixtures.SPLIT));
    }

    private void check(Set<EdgeRef> off) {
        long seed = System.nanoTime();
        String where = "seed " + seed + " switched off " + off;
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(Fixtures.INPUT, 4, Fixtures.CONV_OPS);
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(Fixtures.INPUT, 20, seed));
            NtkConditionNumber ntk = new NtkConditionNumber(WIDTH, BATCHES, BATCH, false);
            NtkConditionNumber centred = new NtkConditionNumber(WIDTH, BATCHES, BATCH, true);

            double[][] gram = ntk.gram(ctx, off);
            double[][] expected = DenseReference.gram(finiteDifferenceJacobian(b, ctx, off));
            double max = 0;
            for (double[] row : expected) {
                for (double v : row) {
                    max = Math.max(max, Math.abs(v));
                }
            }
            assertTrue(max > 0, where + ": the finite-difference Gram matrix is zero");
            for (int i = 0; i < expected.length; i++) {
                for (int j = 0; j < expected.length; j++) {
                    assertTrue(Fixtures.close(expected[i][j], gram[i][j], 0, 1e-7 * max),
                            where + ": G[" + i + "][" + j + "] " + gram[i][j] + ", finite differences " + expected[i][j]);
                }
            }

            // each batch's indicator is a null vector of G: the batch sum of the logits has no gradient
            double[][] shifted = new double[expected.length][];
            double lambdaMax = DenseReference.largestEigenvalue(expected, seed);
            for (int i = 0; i < expected.length; i++) {
                shifted[i] = expected[i].clone();
                double rowSumInBatch = 0;
                for (int j = 0; j < expected.length; j++) {
                    if (i / BATCH == j / BATCH) {
                        rowSumInBatch += expected[i][j];
                        shifted[i][j] += lambdaMax / BATCH;
                    }
                }
                assertTrue(Math.abs(rowSumInBatch) <= 1e-7 * max, where + ": (G u_batch)[" + i + "] = " + rowSumInBatch);
            }

            MetricResult spec = ntk.score(ctx, off);
            assertEquals(MetricResult.Status.NON_FINITE, spec.status(), where + ": " + spec);
            assertTrue(spec.detail().contains("singular"), spec.detail());

            // Weyl: every eigenvalue of the engine's G (and of G plus the same shift) lies within
            // ||G - G_fd||_2 <= ||G - G_fd||_F of the finite-difference one, so kappa lies in the
            // interval below; 1e-7 relative on top covers the convergence of the iterations.
            double lambdaMin = DenseReference.smallestEigenvalue(shifted, seed);
            double d = 0;
            for (int i = 0; i < expected.length; i++) {
                for (int j = 0; j < expected.length; j++) {
                    d += (gram[i][j] - expected[i][j]) * (gram[i][j] - expected[i][j]);
                }
            }
            d = Math.sqrt(d);
            assertTrue(lambdaMin > 10 * d, where + ": lambda_min " + lambdaMin + " is not resolved by ||dG|| " + d);
            double kappa = lambdaMax / lambdaMin;
            double lo = (lambdaMax - d) / (lambdaMin + d) * (1 - 1e-7);
            double hi = (lambdaMax + d) / (lambdaMin - d) * (1 + 1e-7);
            MetricResult r = centred.score(ctx, off);
            assertEquals(MetricResult.Status.OK, r.status(), where + ": " + r);
            assertEquals(NtkConditionNumber.CENTRED_NAME, r.metric());
            assertTrue(r.value() >= lo && r.value() <= hi, where + ": kappa " + r.value() + ", independent " + kappa
                    + ", allowed [" + lo + ", " + hi + "] by ||dG||_F " + d);
            assertEquals(r.value(), r.raw());
        }
    }

    /** Sets a perturbation of size t on the network; t = 0 restores the original values. */
    interface Knob {
        void set(double t);
    }

    /** J[sample][weight] by central differences; the columns of pruned ops come out zero by themselves. */
    private static double[][] finiteDifferenceJacobian(ReferenceBackend b, ScoringContext ctx, Set<EdgeRef> off) {
        Genome g = new Genome(ctx.genome().input(), WIDTH, ctx.genome().reductions(), ctx.genome().cells());
        int classes = g.input().classes();
        ImageBatchSampler sampler = ImageBatchSampler.of(ctx);
        float[][] batches = new float[BATCHES][];
        for (int k = 0; k < BATCHES; k++) {
            batches[k] = sampler.next(BATCH).pixels();
        }
        List<double[]> columns = new ArrayList<>();
        try (Network net = Fixtures.network(b, ctx, g, BATCH, PlanOptions.TRAINING, InitScheme.FAN_OUT, off)) {
            List<ParamSpec> params = net.plan().parameters();
            // weights: conv kernels, BN scales, linear weights (auxiliary heads give zero columns)
            for (ParamSpec p : params) {
                if (p.init() != ParamInit.CONV_KAIMING && p.init() != ParamInit.ONES
                        && p.init() != ParamInit.LINEAR_WEIGHT) {
                    continue;
                }
                double[] orig = b.download(net.tensor(p.value()));
                for (int i = 0; i < orig.length; i++) {
                    int e = i;
                    columns.add(derivative(net, batches, classes,
                            t -> Fixtures.setElement(b, net, p, e, orig[e] + t)));
                }
            }
            // gates of live ops: y = g * op(x), and op(x) ends in a BatchNorm, so scaling that BN's
            // gamma and beta by (1 + t) is exactly g = 1 + t
            for (GateSpec s : net.plan().gates()) {
                if (net.isPruned(s.index())) {
                    continue;
                }
                ParamSpec last = null;
                for (ParamSpec p : params) {
                    if (p.gate() == s.index() && p.init() == ParamInit.ONES) {
                        last = p;
                    }
                }
                ParamSpec gamma = last;
                ParamSpec beta = Fixtures.param(net, gamma.name().replace(".gamma", ".beta"));
                double[] g0 = b.download(net.tensor(gamma.value()));
                double[] b0 = b.download(net.tensor(beta.value()));
                columns.add(derivative(net, batches, classes, t -> {
                    double[] gv = new double[g0.length];
                    double[] bv = new double[b0.length];
                    for (int i = 0; i < gv.length; i++) {
                        gv[i] = g0[i] * (1 + t);
                        bv[i] = b0[i] * (1 + t);
                    }
                    b.upload(net.tensor(gamma.value()), gv);
                    b.upload(net.tensor(beta.value()), bv);
                }));
            }
        }
        int n = BATCHES * BATCH;
        double[][] j = new double[n][columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            for (int i = 0; i < n; i++) {
                j[i][c] = columns.get(c)[i];
            }
        }
        return j;
    }

    /** d(logit sum of each sample)/dt at t = 0, every batch in turn (train-mode BN: one forward per batch). */
    /**
     * Central differences of every sample's logit sum. The logits are piecewise smooth (ReLU, max
     * pooling), and a step straddling a kink is wrong by O(1): each entry is taken at steps H,
     * H/10 and H/100, and the first pair of neighbouring steps that agree decides (agreement means
     * no kink lies within the larger step); where none agree the smallest step is used.
     */
    private static double[] derivative(Network net, float[][] batches, int classes, Knob knob) {
        double[][] bySteps = new double[3][];
        for (int s = 0; s < 3; s++) {
            bySteps[s] = centralDifference(net, batches, classes, knob, H / Math.pow(10, s));
        }
        double[] out = new double[BATCHES * BATCH];
        for (int i = 0; i < out.length; i++) {
            out[i] = bySteps[2][i];
            for (int s = 0; s < 2; s++) {
                double a = bySteps[s][i];
                double c = bySteps[s + 1][i];
                if (Math.abs(a - c) <= 1e-6 * Math.max(Math.abs(a), Math.abs(c)) + 1e-9) {
                    out[i] = c;
                    break;
                }
            }
        }
        return out;
    }

    private static double[] centralDifference(Network net, float[][] batches, int classes, Knob knob, double h) {
        double[] out = new double[BATCHES * BATCH];
        for (int k = 0; k < BATCHES; k++) {
            knob.set(h);
            net.forward(batches[k], true, 0.0, null);
            double[] plus = Fixtures.logitRowSums(net, classes);
            knob.set(-h);
            net.forward(batches[k], true, 0.0, null);
            double[] minus = Fixtures.logitRowSums(net, classes);
            knob.set(0);
            for (int i = 0; i < BATCH; i++) {
                out[k * BATCH + i] = (plus[i] - minus[i]) / (2 * h);
            }
        }
        return out;
    }

    private static final double DOUBLE = Math.ulp(1.0);

    @Test
    void nanBecomesTheSubstituteAndASingularGramMatrixFails() {
        // (the Jacobi rotation of [[1, 1], [1, 1]] gives exactly 0 and 2)
        MetricResult zero = NtkConditionNumber.fromGram("ntk", new double[][]{{0, 0}, {0, 0}}, DOUBLE);
        assertEquals(MetricResult.Status.SUBSTITUTED, zero.status());
        assertEquals(NtkConditionNumber.NAN_SUBSTITUTE, zero.value());
        assertTrue(Double.isNaN(zero.raw()));
        assertTrue(zero.usable());

        MetricResult nan = NtkConditionNumber.fromGram("ntk", new double[][]{{1, Double.NaN}, {Double.NaN, 1}}, DOUBLE);
        assertEquals(MetricResult.Status.SUBSTITUTED, nan.status());

        MetricResult singular = NtkConditionNumber.fromGram("ntk", new double[][]{{1, 1}, {1, 1}}, DOUBLE);
        assertEquals(MetricResult.Status.NON_FINITE, singular.status(), singular.toString());
        assertFalse(singular.usable());
        assertTrue(Double.isNaN(singular.value()));

        MetricResult nearlySingular = NtkConditionNumber.fromGram("ntk", new double[][]{{1, 0}, {0, 1e-16}}, DOUBLE);
        assertEquals(MetricResult.Status.NON_FINITE, nearlySingular.status(), nearlySingular.toString());
        assertEquals(1e16, nearlySingular.raw(), 1e4);

        MetricResult fine = NtkConditionNumber.fromGram("ntk", new double[][]{{4, 0}, {0, 1}}, DOUBLE);
        assertEquals(MetricResult.Status.OK, fine.status());
        assertEquals(4.0, fine.value(), 1e-15);

        // kappa 1e12: measurable from float64 numbers, rounding noise from float32 ones (2 * 2^-23 * 1e12 >> 1)
        double[][] wide = {{1e12, 0}, {0, 1}};
        assertEquals(MetricResult.Status.OK, NtkConditionNumber.fromGram("ntk", wide, DOUBLE).status());
        assertEquals(MetricResult.Status.NON_FINITE, NtkConditionNumber.fromGram("ntk", wide, Math.ulp(1.0f)).status());
    }
}
