package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.train.ArchitectureAdam;
import org.spidernet.train.BilevelStep;
import org.spidernet.train.ParameterTensors;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DARTS's second-order architecture gradient against central finite differences of the objective
 * it approximates, F(alpha) = L_val(w - xi (mu v + dL_train/dw(w, alpha) + wd w), alpha), on the
 * float64 reference backend with a tiny supernet, random alphas and momentum, and each split one
 * batch (so the batches are the whole splits whatever their order). The Hessian-vector product is
 * itself a central difference, here with a step of 1e-5 in weight space (DARTS's 0.01 is far
 * coarser: this tiny net's BatchNorms over 2 x 2 maps make it very curved, and at 0.01 its
 * truncation error dominates), so agreement is to 1e-5 of the checked entries' largest; the
 * first-order gradient misses the unrolled term by far more, which the test checks too, so it can
 * tell the two apart.
 */
class DartsSecondOrderTest {
    private static final double H = 1e-5;
    /** The Hessian-vector product's step: small, so its own truncation error stays below the tolerance. */
    private static final double HESSIAN_STEP = 1e-5;
    private static final double TOLERANCE = 1e-5;

    @Test
    void theUnrolledGradientMatchesFiniteDifferencesOfTheUnrolledObjective() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int batch = 4;
        ImageDataset train = SyntheticImages.make(batch, 3, 7, seed);
        ImageDataset val = SyntheticImages.make(batch, 3, 7, seed + 1);
        ChannelStats stats = train.channelStats();
        double xi = 0.2;
        TrainConfig tc = new TrainConfig(1, batch, xi, 0.9, 3e-4, 0, 0, false, 0, 0.5, 0.05, false, 1, 0.3, 0, seed, true);
        DartsSkeleton s = new DartsSkeleton(new InputSpec(1, 7, 7, 3), 2, 3);
        try (ReferenceBackend b = new ReferenceBackend();
             Network net = Network.bind(ExecutionPlan.compile(DartsLowering.supernet(s, AlphaGroup.Mixing.SOFTMAX), batch,
                     b.bytesPerElement(), PlanOptions.TRAINING), b)) {
            net.initialize(seed, InitScheme.FAN_IN);
            double[] alphas = net.alphas();
            for (int i = 0; i < alphas.length; i++) {
                alphas[i] = r.nextGaussian();
            }
            ParameterTensors p = ParameterTensors.of(net);
            for (Tensor v : p.velocities()) {
                double[] m = new double[(int) v.size()];
                for (int i = 0; i < m.length; i++) {
                    m[i] = 0.1 * r.nextGaussian();
                }
                b.upload(v, m);
            }
            double[] secondOrder;
            double[] firstOrder;
            try (BilevelStep two = new BilevelStep(net, val, train, stats, ArchitectureAdam.darts(alphas.length), tc, seed, true,
                    HESSIAN_STEP);
                 BilevelStep one = new BilevelStep(net, val, train, stats, ArchitectureAdam.darts(alphas.length), tc, seed, false,
                         HESSIAN_STEP)) {
                secondOrder = two.gradient(0, 0, xi);
                firstOrder = one.gradient(0, 0, xi);
            }
            double[] fd = new double[alphas.length];
            double scale = 0;
            int[] checked = r.ints(8, 0, alphas.length).toArray();
            for (int k : checked) {
                double orig = alphas[k];
                alphas[k] = orig + H;
                double plus = unrolledValidationLoss(net, p, train, val, stats, tc);
                alphas[k] = orig - H;
                double minus = unrolledValidationLoss(net, p, train, val, stats, tc);
                alphas[k] = orig;
                fd[k] = (plus - minus) / (2 * H);
                scale = Math.max(scale, Math.abs(fd[k]));
            }
            double worstFirst = 0;
            for (int k : checked) {
                assertTrue(Math.abs(fd[k] - secondOrder[k]) <= TOLERANCE * scale,
                        "seed " + seed + " alpha " + k + ": finite difference " + fd[k] + ", second order " + secondOrder[k]);
                worstFirst = Math.max(worstFirst, Math.abs(fd[k] - firstOrder[k]));
            }
            assertTrue(worstFirst > 10 * TOLERANCE * scale, "seed " + seed + ": the first-order gradient is as close ("
                    + worstFirst + "), so the test cannot tell the orders apart");
        }
    }

    /** F(alpha): one SGD step (momentum, weight decay) on the training batch, the validation loss there, weights restored. */
    private static double unrolledValidationLoss(Network net, ParameterTensors p, ImageDataset train, ImageDataset val,
                                                 ChannelStats stats, TrainConfig tc) {
        Backend b = net.backend();
        List<Tensor> w = p.values();
        double[][] saved = new double[w.size()][];
        for (int i = 0; i < w.size(); i++) {
            saved[i] = b.download(w.get(i));
        }
        net.forward(images(train, stats), true, 0.0, null);
        net.backward(train.labels());
        for (int i = 0; i < w.size(); i++) {
            double[] g = b.download(p.grads().get(i));
            double[] v = b.download(p.velocities().get(i));
            double[] next = new double[g.length];
            for (int j = 0; j < g.length; j++) {
                next[j] = saved[i][j] - tc.learningRate() * (tc.momentum() * v[j] + g[j] + tc.weightDecay() * saved[i][j]);
            }
            b.upload(w.get(i), next);
        }
        net.forward(images(val, stats), true, 0.0, null);
        double loss = net.backward(val.labels());
        for (int i = 0; i < w.size(); i++) {
            b.upload(w.get(i), saved[i]);
        }
        return loss;
    }

    private static float[] images(ImageDataset d, ChannelStats stats) {
        int[] idx = new int[d.count()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[] x = new float[d.count() * d.imageSize()];
        d.normalizeInto(idx, stats, x);
        return x;
    }
}
