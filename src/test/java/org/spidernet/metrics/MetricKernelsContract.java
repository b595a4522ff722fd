package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metrics that build their N x N matrices on the backend ({@code signAgreement}, {@code gram})
 * give what the host computation gives on the same backend: the float32 backends' ReLU inputs and
 * weight gradients downloaded, codes and J J^T formed here in float64. This is what the metrics
 * did before the kernels existed, so it pins the switch for each backend (the reference is
 * covered by the metrics' own tests). {@link CpuMetricKernelsTest} and {@link CudaMetricKernelsTest}
 * run it; each skips, with the reason, where its backend is unavailable.
 *
 * <p>Tolerances: K is an integer matrix held exactly on both sides, so log det may differ only by
 * the factorisation's rounding (1e-10 relative); G is summed in float64 from the same float32
 * gradients on both sides, so it must agree to 1e-12 of the sum of its terms' magnitudes.
 */
abstract class MetricKernelsContract {
    private static final InputSpec INPUT = new InputSpec(2, 6, 6, 3);

    /** The provider name of the backend under test. */
    abstract String backendName();

    private static Backend open(String name) {
        BackendProvider provider = Backends.providers().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElse(null);
        assumeTrue(provider != null, name + " backend is not on the class path");
        Availability a = Backends.availability(provider);
        assumeTrue(a.usable(), name + " backend unavailable: " + a.detail());
        return provider.open();
    }

    @Test
    void hammingKernelOnTheBackendMatchesCodesFromTheReluInputs() {
        String name = backendName();
        long seed = System.nanoTime();
        int batch = 19;
        try (Backend b = open(name)) {
            Genome genome = Fixtures.grown(INPUT, 3, List.of(OpType.SEP_CONV_3X3, OpType.SEP_CONV_5X5, OpType.IDENTITY));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 40, seed));
            for (Set<EdgeRef> off : List.of(Set.<EdgeRef>of(), EdgeRef.newEdgesOf(Fixtures.SPLIT))) {
                String where = name + ", seed " + seed + "L, switched off " + off;
                double[][] k = new double[batch][batch];
                try (Network net = Fixtures.network(b, ctx, genome, batch, PlanOptions.TRAINING, InitScheme.FAN_IN, off)) {
                    net.forward(ImageBatchSampler.of(ctx).next(batch).pixels(), true, 0.0, null);
                    List<double[]> inputs = net.reluInputs();
                    int units = 0;
                    for (int l = 0; l < inputs.size(); l++) {
                        double[] x = inputs.get(l);
                        int per = x.length / batch;
                        units += per;
                        for (int i = 0; i < batch; i++) {
                            for (int j = 0; j < batch; j++) {
                                for (int u = 0; u < per; u++) {
                                    k[i][j] += (x[i * per + u] > 0) == (x[j * per + u] > 0) ? 1 : 0;
                                }
                            }
                        }
                    }
                    assertTrue(units > 0, where + ": no ReLU units, the comparison would be vacuous");
                }
                double expected = DenseReference.logDetSpd(k);
                MetricResult r = new HammingLogDet(0, batch).score(ctx, off);
                assertEquals(MetricResult.Status.OK, r.status(), where + ": " + r);
                assertTrue(Fixtures.close(expected, r.value(), 1e-10, 0), where + ": " + r.value() + " vs " + expected);
            }
        }
    }

    @Test
    void ntkGramOnTheBackendMatchesDownloadedGradients() {
        String name = backendName();
        long seed = System.nanoTime();
        int width = 2;
        int batches = 2;
        int batch = 5;
        try (Backend b = open(name)) {
            Genome genome = Fixtures.grown(Fixtures.INPUT, 4, Fixtures.CONV_OPS);
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(Fixtures.INPUT, 20, seed));
            Set<EdgeRef> off = EdgeRef.newEdgesOf(Fixtures.SPLIT);
            String where = name + ", seed " + seed + "L";
            double[][] j = hostJacobian(b, ctx, width, batches, batch, off);
            double[][] g = new NtkConditionNumber(width, batches, batch, false).gram(ctx, off);
            int n = batches * batch;
            assertEquals(n, g.length, where);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    double expected = 0;
                    double magnitude = 0;
                    for (int t = 0; t < j[r].length; t++) {
                        expected += j[r][t] * j[c][t];
                        magnitude += Math.abs(j[r][t] * j[c][t]);
                    }
                    assertTrue(magnitude > 0, where + ": zero Jacobian rows, the comparison would be vacuous");
                    assertTrue(Math.abs(g[r][c] - expected) <= 1e-12 * magnitude,
                            where + ": G[" + r + "][" + c + "] " + g[r][c] + " vs " + expected);
                }
            }
        }
    }

    /** J as the metric defined it before: weight gradients downloaded after each sample's backward pass, then the gates. */
    private static double[][] hostJacobian(Backend b, ScoringContext ctx, int width, int batches, int batch,
                                           Set<EdgeRef> off) {
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        int classes = genome.input().classes();
        try (Network net = Fixtures.network(b, ctx, genome, batch, PlanOptions.TRAINING.withoutMemorySharing(),
                InitScheme.FAN_OUT, off)) {
            List<double[]> rows = new ArrayList<>();
            ImageBatchSampler sampler = ImageBatchSampler.of(ctx);
            for (int s = 0; s < batches; s++) {
                net.forward(sampler.next(batch).pixels(), true, 0.0, null);
                for (int i = 0; i < batch; i++) {
                    double[] seed = new double[batch * classes];
                    Arrays.fill(seed, i * classes, (i + 1) * classes, 1.0);
                    net.backwardFromLogits(seed);
                    List<Double> row = new ArrayList<>();
                    for (ParamSpec p : net.plan().parameters()) {
                        if (NtkConditionNumber.isWeight(p.init()) && (p.gate() < 0 || !net.isPruned(p.gate()))) {
                            for (double v : b.download(net.tensor(p.grad()))) {
                                row.add(v);
                            }
                        }
                    }
                    for (GateSpec g : net.plan().gates()) {
                        if (!net.isPruned(g.index())) {
                            row.add(net.gateGradients()[g.index()]);
                        }
                    }
                    rows.add(row.stream().mapToDouble(Double::doubleValue).toArray());
                }
            }
            return rows.toArray(new double[0][]);
        }
    }
}
