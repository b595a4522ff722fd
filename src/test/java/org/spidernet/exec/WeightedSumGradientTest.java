package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.Shape;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mixed ops (weighted sums over alpha rows) and plain sums against central finite differences on
 * the float64 reference backend (step and tolerance: {@link CentralDifference}): the mixing weights' gradients dL/dm, the alphas' gradients
 * through the softmax, the Gumbel path's straight-through gradient, and parameter gradients
 * behind a weighted sum.
 */
class WeightedSumGradientTest {
    private static final List<String> CHOICES = List.of("none", "identity", "max_pool_3x3", "conv_3x3");

    /**
     * stem -> node1 = mixed(stem; row 0) -> node2 = mixed(stem; row 1) + mixed(node1; row 2),
     * head on sum(node1, node2): every choice but "none" has an op; rows share one group.
     */
    static Architecture mixedCell(AlphaGroup.Mixing mixing) {
        ArchitectureBuilder b = new ArchitectureBuilder(2, 6, 5);
        int group = b.alphas(new AlphaGroup("edges", 3, CHOICES, mixing));
        int stem = b.add("stem.bn", new NodeOp.BatchNorm(), -1, b.add("stem.conv", new NodeOp.Conv(3, ConvGeometry.dense(3, 1, 1)), -1, 0));
        Shape shape = b.shape(stem);
        int[] n1 = ops(b, "e0", stem);
        int node1 = b.add("node1", new NodeOp.WeightedSum(group, List.of(0, 0, 0), List.of(1, 2, 3), shape), -1, n1);
        int[] fromStem = ops(b, "e1", stem);
        int[] fromNode1 = ops(b, "e2", node1);
        int node2 = b.add("node2", new NodeOp.WeightedSum(group, List.of(1, 1, 1, 2, 2, 2), List.of(1, 2, 3, 1, 2, 3), shape), -1,
                fromStem[0], fromStem[1], fromStem[2], fromNode1[0], fromNode1[1], fromNode1[2]);
        int out = b.add("out", new NodeOp.Sum(), -1, node1, node2);
        b.head(b.add("head", new NodeOp.Classifier(3), -1, out), 1.0);
        return b.build();
    }

    private static int[] ops(ArchitectureBuilder b, String edge, int x) {
        int id = b.add(edge + ".identity", new NodeOp.Identity(), -1, x);
        int pool = b.add(edge + ".max_pool", new NodeOp.Pool(true, new PoolGeometry(3, 1, 1)), -1, x);
        int relu = b.add(edge + ".relu", new NodeOp.Relu(), -1, x);
        int conv = b.add(edge + ".bn", new NodeOp.BatchNorm(), -1,
                b.add(edge + ".conv", new NodeOp.Conv(3, ConvGeometry.dense(3, 1, 1)), -1, relu));
        return new int[]{id, pool, conv};
    }

    @Test
    void softmaxAlphaGradientsMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int batch = 3;
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(mixedCell(AlphaGroup.Mixing.SOFTMAX), batch, b.bytesPerElement(),
                    PlanOptions.TRAINING);
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                double[] alphas = net.alphas();
                for (int i = 0; i < alphas.length; i++) {
                    alphas[i] = r.nextGaussian(); // far from uniform, so the softmax's curvature matters
                }
                double[] x = input(r, batch);
                int[] labels = {r.nextInt(3), r.nextInt(3), r.nextInt(3)};
                net.forward(x, true, 0.0, null);
                net.backward(labels);
                double[] analytic = net.alphaGradients();
                double[] m = net.mixingWeights();
                for (int row = 0; row < 3; row++) {
                    double sum = 0;
                    for (int i = 0; i < 4; i++) {
                        sum += m[row * 4 + i];
                    }
                    assertEquals(1.0, sum, 1e-12, "softmax row " + row);
                }
                for (int a = 0; a < alphas.length; a++) {
                    int entry = a;
                    double orig = alphas[a];
                    CentralDifference.assertMatches(h -> {
                        alphas[entry] = orig + h;
                        net.forward(x, true, 0.0, null);
                        double lp = net.backward(labels);
                        alphas[entry] = orig - h;
                        net.forward(x, true, 0.0, null);
                        double lm = net.backward(labels);
                        alphas[entry] = orig;
                        return (lp - lm) / (2 * h);
                    }, analytic[a], "seed " + seed + " alpha " + a);
                }
                assertTrue(Math.abs(analytic[0]) > 0, "'none' gets a gradient through the softmax: " + analytic[0]);
            }
        }
    }

    @Test
    void gumbelPathPassesItsGradientStraightThroughToTheSoftWeights() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int batch = 2;
        double tau = 0.5 + r.nextDouble();
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(mixedCell(AlphaGroup.Mixing.GUMBEL), batch, b.bytesPerElement(),
                    PlanOptions.TRAINING);
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                net.setGumbelTemperature(tau);
                double[] alphas = net.alphas();
                for (int i = 0; i < alphas.length; i++) {
                    alphas[i] = r.nextGaussian();
                }
                // points where the loss has no derivative, which finite differences cannot check, are never
                // sampled (Gumbel noise stays below 37): 'none' (a node that sums nothing is all zeros, and a
                // BatchNorm over zeros is not differentiable in the weight that scales them), and max pooling
                // on the edge from node 1 (a max pool of node 1's max-pooled map meets exact ties)
                for (int row = 0; row < 3; row++) {
                    alphas[row * 4] = -40;
                }
                alphas[2 * 4 + 2] = -40;
                double[] x = input(r, batch);
                int[] labels = {r.nextInt(3), r.nextInt(3)};
                long noiseSeed = r.nextLong();
                net.forward(x, true, 0.0, new Random(noiseSeed));
                double[] m = net.mixingWeights();
                // the same noise, drawn as the network draws it: one per entry, row after row
                Random noise = new Random(noiseSeed);
                double[] soft = new double[alphas.length];
                for (int row = 0; row < 3; row++) {
                    double[] z = new double[4];
                    double max = Double.NEGATIVE_INFINITY;
                    int best = 0;
                    for (int i = 0; i < 4; i++) {
                        double u;
                        do {
                            u = noise.nextDouble();
                        } while (u == 0);
                        z[i] = (alphas[row * 4 + i] - Math.log(-Math.log(u))) / tau;
                        max = Math.max(max, z[i]);
                        best = z[i] > z[best] ? i : best;
                    }
                    double total = 0;
                    for (int i = 0; i < 4; i++) {
                        total += Math.exp(z[i] - max);
                    }
                    for (int i = 0; i < 4; i++) {
                        soft[row * 4 + i] = Math.exp(z[i] - max) / total;
                        assertEquals(i == best ? 1.0 : 0.0, m[row * 4 + i], "hard one-hot, row " + row);
                    }
                }
                net.backward(labels);
                double[] analytic = net.alphaGradients();
                // dL/dm at the one-hot against finite differences (every op ran, so each has one) ...
                net.forward(x, true, 0.0, new Random(noiseSeed));
                net.backward(labels);
                double[] dm = net.mixingGradients();
                for (int a = 0; a < m.length; a++) {
                    int entry = a;
                    CentralDifference.assertMatches(h -> {
                        double[] mp = m.clone();
                        double[] mm = m.clone();
                        mp[entry] += h;
                        mm[entry] -= h;
                        net.forwardWithMixing(x, mp, new Random(noiseSeed));
                        double lp = net.backward(labels);
                        net.forwardWithMixing(x, mm, new Random(noiseSeed));
                        double lm = net.backward(labels);
                        return (lp - lm) / (2 * h);
                    }, dm[a], "seed " + seed + " dL/dm " + a);
                }
                // ... taken through softmax((alpha + g) / tau): dalpha_i = s_i (dm_i - sum_j s_j dm_j) / tau
                for (int row = 0; row < 3; row++) {
                    double dot = 0;
                    for (int i = 0; i < 4; i++) {
                        dot += soft[row * 4 + i] * dm[row * 4 + i];
                    }
                    for (int i = 0; i < 4; i++) {
                        int a = row * 4 + i;
                        CentralDifference.assertClose(soft[a] * (dm[a] - dot) / tau, analytic[a], "seed " + seed + " alpha " + a);
                    }
                }
            }
        }
    }

    @Test
    void parametersBehindAWeightedSumGetTheirMixedGradient() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int batch = 2;
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(mixedCell(AlphaGroup.Mixing.SOFTMAX), batch, b.bytesPerElement(),
                    PlanOptions.TRAINING);
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                double[] x = input(r, batch);
                int[] labels = {r.nextInt(3), r.nextInt(3)};
                for (ParamSpec p : plan.parameters()) {
                    NetworkFiniteDifferences.assertRandomEntry(net, b, p, r, x, labels, "seed " + seed);
                }
            }
        }
    }

    @Test
    void alphasAreSavedAndRestoredWithTheWeights() {
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(mixedCell(AlphaGroup.Mixing.SOFTMAX), 1, b.bytesPerElement(),
                    PlanOptions.TRAINING);
            try (Network a = Network.bind(plan, b); Network c = Network.bind(plan, b)) {
                long seed = System.nanoTime();
                a.initialize(seed, InitScheme.FAN_IN);
                c.initialize(seed + 1, InitScheme.FAN_IN);
                double[] alphas = a.alphas().clone();
                assertEquals(12, alphas.length);
                for (double v : alphas) {
                    assertTrue(Math.abs(v) < 10 * Network.INITIAL_ALPHA_STD && v != 0, "initial alpha " + v);
                }
                c.importState(a.exportState());
                assertEquals(java.util.Arrays.toString(alphas), java.util.Arrays.toString(c.alphas()));
            }
        }
    }

    private static double[] input(Random r, int batch) {
        double[] x = new double[batch * 2 * 6 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }


}
