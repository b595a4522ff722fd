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

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * snip and grad_norm against dL/dW by central finite differences of the classifier's mean
 * cross-entropy, computed here from the logits of the network built here (train-mode BN, one
 * batch with its labels). Tolerance 1e-6 relative on the sums (float64 central differences of a
 * smooth loss, h = 1e-5).
 */
class GradientProxiesTest {
    private static final InputSpec INPUT = new InputSpec(2, 5, 5, 4);
    private static final int BATCH = 4;
    private static final double H = 1e-5;

    @Test
    void snipAndGradNormMatchFiniteDifferencesOfTheLoss() {
        long seed = System.nanoTime();
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(INPUT, 2, List.of(OpType.SEP_CONV_3X3, OpType.DIL_CONV_3X3, OpType.AVG_POOL_3X3));
            ScoringContext ctx = ScoringContext.of(b, genome, seed, Fixtures.images(INPUT, 10, seed));
            Set<EdgeRef> off = EdgeRef.newEdgesOf(Fixtures.SPLIT);
            ImageBatchSampler.Batch batch = ImageBatchSampler.of(ctx).next(BATCH);
            double snip = 0;
            double gradNorm = 0;
            try (Network net = Fixtures.network(b, ctx, genome, BATCH, PlanOptions.TRAINING, InitScheme.FAN_IN, off)) {
                for (ParamSpec p : net.plan().parameters()) {
                    if (p.init() != ParamInit.CONV_KAIMING && p.init() != ParamInit.LINEAR_WEIGHT) {
                        continue;
                    }
                    double[] w = b.download(net.tensor(p.value()));
                    double squares = 0;
                    for (int i = 0; i < w.length; i++) {
                        Fixtures.setElement(b, net, p, i, w[i] + H);
                        double plus = loss(net, batch);
                        Fixtures.setElement(b, net, p, i, w[i] - H);
                        double minus = loss(net, batch);
                        Fixtures.setElement(b, net, p, i, w[i]);
                        double g = (plus - minus) / (2 * H);
                        snip += Math.abs(g * w[i]);
                        squares += g * g;
                    }
                    gradNorm += Math.sqrt(squares);
                }
            }
            assertTrue(snip > 0 && gradNorm > 0, "seed " + seed);
            MetricResult s = new Snip(0, BATCH).score(ctx, off);
            MetricResult g = new GradNorm(0, BATCH).score(ctx, off);
            assertTrue(Fixtures.close(snip, s.value(), 1e-6, 0), "seed " + seed + ": snip " + s.value() + " vs " + snip);
            assertTrue(Fixtures.close(gradNorm, g.value(), 1e-6, 0),
                    "seed " + seed + ": grad_norm " + g.value() + " vs " + gradNorm);
        }
    }

    /** Mean softmax cross-entropy of the classifier's logits, written out. */
    private static double loss(Network net, ImageBatchSampler.Batch batch) {
        net.forward(batch.pixels(), true, 0.0, null);
        double[] z = net.classifierLogits();
        int classes = INPUT.classes();
        double total = 0;
        for (int n = 0; n < BATCH; n++) {
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                sumExp += Math.exp(z[n * classes + k]);
            }
            total += Math.log(sumExp) - z[n * classes + batch.labels()[n]];
        }
        return total / BATCH;
    }

    @Test
    void crossEntropyGradientClosedForm() {
        // equal logits: softmax = 1/M, gradient (1/M - onehot) / N
        double[] d = WeightGradients.crossEntropyGradient(new double[]{0, 0, 0, 5, 5, 5}, new int[]{2, 0}, 3);
        double[] expected = {1.0 / 6, 1.0 / 6, (1.0 / 3 - 1) / 2, (1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6};
        for (int i = 0; i < d.length; i++) {
            assertEquals(expected[i], d[i], 1e-15);
        }
    }
}
