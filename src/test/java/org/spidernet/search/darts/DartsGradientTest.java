package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.exec.CentralDifference;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;

import java.util.List;
import java.util.Random;

/**
 * Whole DARTS networks against central finite differences on the float64 reference backend: a
 * supernet (mixed edges over shared alpha rows, factorized reduce with its shifted path, concat
 * outputs, odd extents: 7 -> 4 -> 2) on its parameters and its alphas, and a derived network on
 * its parameters; step and tolerance: {@link CentralDifference}.
 */
class DartsGradientTest {
    private static final DartsSkeleton TINY = new DartsSkeleton(new InputSpec(1, 7, 7, 3), 2, 3);

    @Test
    void supernetParametersAndAlphasMatchFiniteDifferences() {
        long seed = System.nanoTime();
        check(DartsLowering.supernet(TINY, AlphaGroup.Mixing.SOFTMAX), seed, 12);
    }

    @Test
    void derivedNetworkParametersMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Genotype g = RandomGenotypes.draw(new Random(seed));
        // every cell has a skip_connect from an input, so the reduction cells run factorized reduce on their edges
        check(new DartsNetwork(TINY, withSkips(g)).lower(), seed, 20);
    }

    private static Genotype withSkips(Genotype g) {
        List<Genotype.Edge> normal = new java.util.ArrayList<>(g.normal());
        List<Genotype.Edge> reduce = new java.util.ArrayList<>(g.reduce());
        normal.set(0, new Genotype.Edge(DartsOp.SKIP_CONNECT, 0));
        reduce.set(0, new Genotype.Edge(DartsOp.SKIP_CONNECT, 1));
        return new Genotype(normal, reduce);
    }

    private static void check(Architecture a, long seed, int trials) {
        Random r = new Random(seed);
        int batch = 2;
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(a, batch, b.bytesPerElement(), PlanOptions.TRAINING);
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                double[] alphas = net.alphas();
                for (int i = 0; i < alphas.length; i++) {
                    alphas[i] = r.nextGaussian();
                }
                double[] x = new double[batch * 7 * 7];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextGaussian();
                }
                int[] labels = {r.nextInt(3), r.nextInt(3)};
                List<ParamSpec> params = plan.parameters();
                for (int t = 0; t < trials; t++) {
                    ParamSpec p = params.get(r.nextInt(params.size()));
                    Tensor value = net.tensor(p.value());
                    double[] v = b.download(value);
                    int i = r.nextInt(v.length);
                    net.forward(x, true, 0.0, null);
                    net.backward(labels);
                    double analytic = b.download(net.tensor(p.grad()))[i];
                    double orig = v[i];
                    CentralDifference.assertMatches(h -> {
                        v[i] = orig + h;
                        b.upload(value, v);
                        double lp = loss(net, x, labels);
                        v[i] = orig - h;
                        b.upload(value, v);
                        double lm = loss(net, x, labels);
                        v[i] = orig;
                        b.upload(value, v);
                        return (lp - lm) / (2 * h);
                    }, analytic, "seed " + seed + " " + p.name() + "[" + i + "]");
                }
                if (alphas.length > 0) {
                    net.forward(x, true, 0.0, null);
                    net.backward(labels);
                    double[] analytic = net.alphaGradients();
                    for (int t = 0; t < trials; t++) {
                        int k = r.nextInt(alphas.length);
                        double orig = alphas[k];
                        CentralDifference.assertMatches(h -> {
                            alphas[k] = orig + h;
                            double lp = loss(net, x, labels);
                            alphas[k] = orig - h;
                            double lm = loss(net, x, labels);
                            alphas[k] = orig;
                            return (lp - lm) / (2 * h);
                        }, analytic[k], "seed " + seed + " alpha " + k);
                    }
                }
            }
        }
    }

    private static double loss(Network net, double[] x, int[] labels) {
        net.forward(x, true, 0.0, null);
        return net.backward(labels);
    }

}
