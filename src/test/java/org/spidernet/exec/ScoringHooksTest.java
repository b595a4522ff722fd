package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.OpType;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Genome;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network hooks train-free metrics use, checked against finite differences on the reference backend. */
class ScoringHooksTest {

    private static double sumRow(double[] logits, int row, int classes) {
        double s = 0;
        for (int k = 0; k < classes; k++) {
            s += logits[row * classes + k];
        }
        return s;
    }

    @Test
    void inputGradientAndPerSampleLogitGradientMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome g = NetworkGradientTest.smallGrownGenome();
        int batch = 3;
        int classes = g.input().classes();
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(g, batch, 8, PlanOptions.TRAINING.withInputGradient());
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_OUT);
                double[] x = new double[batch * 2 * 7 * 6];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextGaussian();
                }
                int sample = r.nextInt(batch);
                double[] seedGrad = new double[batch * classes];
                for (int k = 0; k < classes; k++) {
                    seedGrad[sample * classes + k] = 1;
                }
                net.forward(x, true, 0, null);
                net.backwardFromLogits(seedGrad);
                double[] dx = net.inputGradient();
                ParamSpec p = plan.parameters().get(r.nextInt(plan.parameters().size()));
                double[] dw = b.download(net.tensor(p.grad()));
                // input elements: perturb x and re-run (train-mode BN couples the samples)
                // (a central difference can straddle a ReLU or max-pool kink: see
                // NetworkGradientTest.assertMatchesFiniteDifference for why several steps are tried)
                for (int t = 0; t < 6; t++) {
                    int j = r.nextInt(x.length);
                    double orig = x[j];
                    CentralDifference.assertMatches(h -> {
                        x[j] = orig + h;
                        net.forward(x, true, 0, null);
                        double lp = sumRow(net.classifierLogits(), sample, classes);
                        x[j] = orig - h;
                        net.forward(x, true, 0, null);
                        double lm = sumRow(net.classifierLogits(), sample, classes);
                        x[j] = orig;
                        return (lp - lm) / (2 * h);
                    }, dx[j], "seed " + seed + " input[" + j + "]");
                }
                // a parameter element
                double[] v = b.download(net.tensor(p.value()));
                int i = r.nextInt(v.length);
                double orig = v[i];
                CentralDifference.assertMatches(h -> {
                    v[i] = orig + h;
                    b.upload(net.tensor(p.value()), v);
                    net.forward(x, true, 0, null);
                    double lp = sumRow(net.classifierLogits(), sample, classes);
                    v[i] = orig - h;
                    b.upload(net.tensor(p.value()), v);
                    net.forward(x, true, 0, null);
                    double lm = sumRow(net.classifierLogits(), sample, classes);
                    v[i] = orig;
                    b.upload(net.tensor(p.value()), v);
                    return (lp - lm) / (2 * h);
                }, dw[i], "seed " + seed + " " + p.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void reluInputsCoverEveryReluAndStemBypassAndNoBatchNormCompile() {
        Genome g = NetworkGradientTest.smallGrownGenome();
        ExecutionPlan plain = ExecutionPlan.compile(g, 2, 8);
        long seps = plain.gates().stream().filter(s -> OpType.fromName(s.op()).isSeparableConv()).count();
        assertEquals(seps, plain.reluInputs.size());
        ExecutionPlan bare = ExecutionPlan.compile(g, 2, 8, PlanOptions.TRAINING.withoutStem().withoutBatchNorm());
        assertTrue(bare.parameters().stream().noneMatch(p -> p.name().contains("bn") || p.name().startsWith("stem")),
                "no stem and no BatchNorm parameters expected");
        assertEquals(g.channels(), bare.memoryPlan().buffers().get(bare.input).shape()[1]);
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Network.bind(bare, b)) {
            net.initialize(3, InitScheme.FAN_IN);
            float[] x = new float[2 * g.channels() * 7 * 6];
            java.util.Arrays.fill(x, 0.25f);
            net.forward(x, false, 0, null);
            List<double[]> relus = net.reluInputs();
            assertEquals(plain.reluInputs.size(), relus.size());
            long units = 0;
            for (double[] a : relus) {
                units += a.length / 2;
            }
            assertEquals(bare.reluUnitsPerSample(), units);
        }
    }
}
