package org.spidernet.train;

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
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.Shape;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DARTS's second-order architecture gradient ({@link BilevelStep}) against central finite
 * differences of the objective it approximates,
 * F(alpha) = L_val(w - xi (mu v + dL_train/dw(w, alpha) + wd w), alpha), on the float64 reference
 * backend with random alphas and momentum and each split one batch (so the batches are the whole
 * splits whatever their order). The network mixes only smooth ops (identity, average pooling,
 * conv + BN): ReLUs and max pools put kinks in F and in the Hessian-vector product's central
 * difference, and with them in a DARTS supernet a third of fresh draws crossed one. The Hessian-vector product is
 * itself a central difference, here with a step of 1e-5 in weight space (DARTS's 0.01 is far
 * coarser: this tiny net's BatchNorms over 2 x 2 maps make it very curved, and at 0.01 its
 * truncation error dominates), so agreement is to 1e-5 of the checked entries' largest; the
 * first-order gradient misses the unrolled term by far more, which the test checks too, so it can
 * tell the two apart.
 */
class BilevelStepTest {
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
        try (ReferenceBackend b = new ReferenceBackend();
             Network net = Network.bind(ExecutionPlan.compile(smoothMixedCell(), batch, b.bytesPerElement(),
                     PlanOptions.TRAINING), b)) {
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

    /**
     * stem (conv + BN) -> node1 = mixed(stem; row 0) -> node2 = mixed(stem; row 1) + mixed(node1; row 2),
     * head on their sum; the choices none, identity, 3x3 average pooling and conv + BN.
     */
    private static Architecture smoothMixedCell() {
        ArchitectureBuilder b = new ArchitectureBuilder(1, 7, 7);
        int group = b.alphas(new AlphaGroup("edges", 3, List.of("none", "identity", "avg_pool_3x3", "conv_3x3"),
                AlphaGroup.Mixing.SOFTMAX));
        int stem = b.add("stem.bn", new NodeOp.BatchNorm(), -1,
                b.add("stem.conv", new NodeOp.Conv(3, ConvGeometry.dense(3, 1, 1)), -1, 0));
        Shape shape = b.shape(stem);
        int[] e0 = smoothOps(b, "e0", stem);
        int node1 = b.add("node1", new NodeOp.WeightedSum(group, List.of(0, 0, 0), List.of(1, 2, 3), shape), -1, e0);
        int[] e1 = smoothOps(b, "e1", stem);
        int[] e2 = smoothOps(b, "e2", node1);
        int node2 = b.add("node2", new NodeOp.WeightedSum(group, List.of(1, 1, 1, 2, 2, 2), List.of(1, 2, 3, 1, 2, 3),
                shape), -1, e1[0], e1[1], e1[2], e2[0], e2[1], e2[2]);
        b.head(b.add("head", new NodeOp.Classifier(3), -1, b.add("out", new NodeOp.Sum(), -1, node1, node2)), 1.0);
        return b.build();
    }

    private static int[] smoothOps(ArchitectureBuilder b, String edge, int x) {
        int id = b.add(edge + ".identity", new NodeOp.Identity(), -1, x);
        int pool = b.add(edge + ".avg_pool", new NodeOp.Pool(false, new PoolGeometry(3, 1, 1)), -1, x);
        int conv = b.add(edge + ".bn", new NodeOp.BatchNorm(), -1,
                b.add(edge + ".conv", new NodeOp.Conv(3, ConvGeometry.dense(3, 1, 1)), -1, x));
        return new int[]{id, pool, conv};
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
