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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NASWOT v1 against an independent computation: each sample's input Jacobian of its logit sum
 * by central finite differences of the network built here (train-mode BN: the whole batch runs
 * for every perturbation), the correlation matrix by the textbook formula
 * cov / sqrt(var var), and the score without eigenvalues:
 * {@code sum(log(v + k) + 1/(v + k)) = log det(R + kI) + trace((R + kI)^-1)}, both from a
 * Cholesky factorisation. Tolerances: the Jacobian to 1e-7 of its largest entry (float64 central
 * differences, h = 1e-5); the score to 1e-6 relative (the Jacobian error, amplified by 1/(v+k)^2
 * for the smallest eigenvalue, stays far below that on these well-conditioned batches).
 */
class JacobianCovarianceTest {
    private static final double H = 1e-5;
    private static final InputSpec INPUT = new InputSpec(2, 5, 5, 3);
    private static final int BATCH = 5;

    @Test
    void scoreMatchesFiniteDifferenceJacobianAndCholesky() {
        long seed = System.nanoTime();
        String where = "seed " + seed;
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.SEP_CONV_3X3, OpType.DIL_CONV_3X3, OpType.AVG_POOL_3X3));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 12, seed));
            Set<EdgeRef> off = EdgeRef.newEdgesOf(Fixtures.SPLIT);
            JacobianCovariance naswot = new JacobianCovariance(0, BATCH);

            double[] x = new double[BATCH * 2 * 5 * 5];
            float[] px = ImageBatchSampler.of(ctx).next(BATCH).pixels();
            for (int i = 0; i < x.length; i++) {
                x[i] = px[i];
            }
            double[] fd = new double[x.length];
            int d = x.length / BATCH;
            double batchSumJacobian = 0;
            try (Network net = Fixtures.network(b, ctx, genome, BATCH, PlanOptions.TRAINING.withInputGradient(),
                    InitScheme.FAN_IN, off)) {
                for (int e = 0; e < x.length; e++) {
                    int sample = e / d;
                    double orig = x[e];
                    x[e] = orig + H;
                    net.forward(x, true, 0.0, null);
                    double plus = Fixtures.logitRowSums(net, INPUT.classes())[sample];
                    x[e] = orig - H;
                    net.forward(x, true, 0.0, null);
                    double minus = Fixtures.logitRowSums(net, INPUT.classes())[sample];
                    x[e] = orig;
                    fd[e] = (plus - minus) / (2 * H);
                }
                // why one backward pass of sum(f(x)) cannot be used here: with train-mode BN ahead
                // of the classifier, the batch sum of the logits does not depend on the input
                net.forward(x, true, 0.0, null);
                double[] ones = new double[BATCH * INPUT.classes()];
                java.util.Arrays.fill(ones, 1.0);
                net.backwardFromLogits(ones);
                for (double v : net.inputGradient()) {
                    batchSumJacobian = Math.max(batchSumJacobian, Math.abs(v));
                }
            }
            double[] jac = naswot.inputJacobian(ctx, off);
            double max = 0;
            for (double v : fd) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0, where + ": zero Jacobian");
            assertTrue(batchSumJacobian <= 1e-12 * max, where + ": the batch-sum Jacobian is " + batchSumJacobian
                    + ", per-sample entries reach " + max);
            for (int e = 0; e < fd.length; e++) {
                assertEquals(fd[e], jac[e], 1e-7 * max, where + ": dS/dx[" + e + "]");
            }

            double expected = -logDetPlusTraceInverse(correlation(fd, BATCH));
            MetricResult r = naswot.score(ctx, off);
            assertEquals(MetricResult.Status.OK, r.status(), where + ": " + r);
            assertTrue(Fixtures.close(expected, r.value(), 1e-6, 0), where + ": " + r.value() + " vs " + expected);
            assertTrue(r.value() <= -BATCH * (Math.log(1 + JacobianCovariance.K) + 1 / (1 + JacobianCovariance.K)) + 1e-9,
                    where + ": above the maximum, attained at R = I");
        }
    }

    @Test
    void closedFormsForIdentityAndAllOnesCorrelation() {
        double k = JacobianCovariance.K;
        // centred, mutually orthogonal rows: R = I
        double[] orthogonal = {1, -1, 0, 0, 0, 0, 1, -1, 1, 1, -1, -1};
        assertEquals(-3 * (Math.log(1 + k) + 1 / (1 + k)),
                JacobianCovariance.fromJacobian(orthogonal, 3).value(), 1e-12);
        // three rows that are affine copies of one: R is all ones, eigenvalues 3, 0, 0
        double[] copies = {1, 2, 4, 8, 3, 5, 9, 17, -1, -2, -4, -8};
        double expected = -(Math.log(3 + k) + 1 / (3 + k)) - 2 * (Math.log(k) + 1 / k);
        assertEquals(expected, JacobianCovariance.fromJacobian(copies, 3).value(), 1e-9 * Math.abs(expected));
    }

    @Test
    void aConstantJacobianRowIsAFailure() {
        MetricResult r = JacobianCovariance.fromJacobian(new double[]{1, 2, 3, 4, 4, 4}, 2);
        assertEquals(MetricResult.Status.NON_FINITE, r.status());
        assertFalse(r.usable());
    }

    /** Pearson correlation of the n rows: cov(i, j) / sqrt(var(i) var(j)). */
    private static double[][] correlation(double[] x, int n) {
        int d = x.length / n;
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                mean[i] += x[i * d + t] / d;
            }
        }
        double[][] cov = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int t = 0; t < d; t++) {
                    cov[i][j] += (x[i * d + t] - mean[i]) * (x[j * d + t] - mean[j]) / (d - 1);
                }
            }
        }
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i][j] = cov[i][j] / Math.sqrt(cov[i][i] * cov[j][j]);
            }
        }
        return r;
    }

    private static double logDetPlusTraceInverse(double[][] r) {
        double[][] a = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            a[i] = r[i].clone();
            a[i][i] += JacobianCovariance.K;
        }
        return DenseReference.logDetSpd(a) + DenseReference.traceOfInverse(a);
    }
}
