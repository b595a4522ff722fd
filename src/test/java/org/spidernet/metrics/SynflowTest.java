package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamInit;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * synflow against finite differences: the BN-free network built here with |W| everywhere and an
 * all-ones input. Every pre-activation is then positive, so R is a multilinear polynomial of the
 * weights: linear in any single weight element, and central differences are exact up to rounding.
 * Tolerance 1e-9 relative. Max pooling is left out of the genome: on a constant input its windows
 * tie.
 */
class SynflowTest {
    private static final InputSpec INPUT = new InputSpec(2, 5, 5, 3);
    private static final double H = 1e-3;

    @Test
    void scoreMatchesFiniteDifferencesOfTheSynapticFlow() {
        long seed = System.nanoTime();
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2,
                    List.of(OpType.IDENTITY, OpType.AVG_POOL_3X3, OpType.SEP_CONV_3X3, OpType.DIL_CONV_5X5));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 4, seed));
            for (Set<EdgeRef> off : List.of(Set.<EdgeRef>of(), EdgeRef.newEdgesOf(Fixtures.SPLIT))) {
                double expected = 0;
                try (Network net = Fixtures.network(b, ctx, genome, 1, PlanOptions.TRAINING.withoutBatchNorm(),
                        InitScheme.FAN_IN, off)) {
                    for (ParamSpec p : net.plan().parameters()) {
                        double[] v = b.download(net.tensor(p.value()));
                        for (int i = 0; i < v.length; i++) {
                            v[i] = Math.abs(v[i]);
                        }
                        b.upload(net.tensor(p.value()), v);
                    }
                    double[] ones = new double[2 * 5 * 5];
                    Arrays.fill(ones, 1.0);
                    for (ParamSpec p : net.plan().parameters()) {
                        if (p.init() != ParamInit.CONV_KAIMING && p.init() != ParamInit.LINEAR_WEIGHT) {
                            continue;
                        }
                        double[] w = b.download(net.tensor(p.value()));
                        for (int i = 0; i < w.length; i++) {
                            Fixtures.setElement(b, net, p, i, w[i] + H);
                            net.forward(ones, false, 0.0, null);
                            double plus = Fixtures.logitRowSums(net, INPUT.classes())[0];
                            Fixtures.setElement(b, net, p, i, w[i] - H);
                            net.forward(ones, false, 0.0, null);
                            double minus = Fixtures.logitRowSums(net, INPUT.classes())[0];
                            Fixtures.setElement(b, net, p, i, w[i]);
                            expected += Math.abs(w[i] * (plus - minus) / (2 * H));
                        }
                    }
                }
                MetricResult r = new Synflow().score(ctx, off);
                assertEquals(MetricResult.Status.OK, r.status(), "seed " + seed + ": " + r);
                assertTrue(expected > 0, "seed " + seed + ": zero synaptic flow tests nothing");
                assertTrue(Fixtures.close(expected, r.value(), 1e-9, 0),
                        "seed " + seed + " switched off " + off + ": " + r.value() + " vs " + expected);
            }
        }
    }

    @Test
    void closedFormForASingleLinearPath() {
        // cell 0 only, one identity edge per step: R = sum_k sum_c W_kc * mean(stem output c) + sum_k b_k,
        // the stem output at every pixel being the sum of |kernel| entries that fall inside the image.
        InputSpec in = new InputSpec(1, 4, 4, 2);
        Genome genome = new Genome(in, 1, 0, List.of(new org.spidernet.graph.Cell(0, 1, 3, List.of(
                new org.spidernet.graph.Edge(0, 1, List.of(OpType.IDENTITY)),
                new org.spidernet.graph.Edge(1, 2, List.of(OpType.IDENTITY))))));
        try (ReferenceBackend b = new ReferenceBackend()) {
            ScoringContext ctx = ScoringContext.of(b, genome, 11, Fixtures.images(in, 2, 11));
            double[] kernel;
            double[] head;
            try (Network net = Fixtures.network(b, ctx, genome, 1, PlanOptions.TRAINING.withoutBatchNorm(),
                    InitScheme.FAN_IN, Set.of())) {
                kernel = b.download(net.tensor(Fixtures.param(net, "stem.conv.weight").value()));
                head = b.download(net.tensor(Fixtures.param(net, "cell0.head.weight").value()));
            }
            // mean over the 4x4 output of the number of taps inside the image, per tap:
            // a corner row/column of taps lands inside on 3 of 4 rows/columns
            double meanStem = 0;
            for (int t = 0; t < 9; t++) {
                double rows = t / 3 == 1 ? 4 : 3;
                double cols = t % 3 == 1 ? 4 : 3;
                meanStem += Math.abs(kernel[t]) * rows * cols / 16;
            }
            // R - sum(b) is bilinear in the head weights and the stem taps, so each group's
            // sum |w * dR/dw| is all of it: 2 * sum|W_k| * meanStem
            double headSum = Math.abs(head[0]) + Math.abs(head[1]);
            double expected = headSum * meanStem + headSum * meanStem;
            MetricResult r = new Synflow().score(ctx);
            assertEquals(expected, r.value(), 1e-12 * expected);
        }
    }
}
