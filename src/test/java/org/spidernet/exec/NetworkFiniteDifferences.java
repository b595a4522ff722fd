package org.spidernet.exec;

import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.NodeOp;

import java.util.List;
import java.util.Random;

/**
 * A whole IR network's backward pass against central finite differences on the float64
 * reference backend: {@code trials} random parameter entries and {@code trials} random alphas
 * (random Gaussian alphas, so no mix is uniform) on a random batch; step and tolerance:
 * {@link CentralDifference}. Every space's lowering is checked with it.
 */
public final class NetworkFiniteDifferences {
    private NetworkFiniteDifferences() {
    }

    public static void check(Architecture a, int batch, long seed, int trials) {
        Random r = new Random(seed);
        NodeOp.Input in = (NodeOp.Input) a.nodes().get(0).op();
        int classes = ((NodeOp.Classifier) a.nodes().get(a.heads().get(0).node()).op()).classes();
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(a, batch, b.bytesPerElement(), PlanOptions.TRAINING);
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                double[] alphas = net.alphas();
                for (int i = 0; i < alphas.length; i++) {
                    alphas[i] = r.nextGaussian();
                }
                double[] x = new double[batch * in.channels() * in.height() * in.width()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextGaussian();
                }
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    labels[i] = r.nextInt(classes);
                }
                List<ParamSpec> params = plan.parameters();
                for (int t = 0; t < trials; t++) {
                    assertRandomEntry(net, b, params.get(r.nextInt(params.size())), r, x, labels, "seed " + seed);
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

    /**
     * One entry of parameter {@code p}, drawn from {@code r}: its analytic gradient after a training
     * step on (x, labels) against central differences of the loss ({@code what} starts the message).
     */
    public static void assertRandomEntry(Network net, ReferenceBackend b, ParamSpec p, Random r, double[] x, int[] labels,
                                         String what) {
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
        }, analytic, what + " " + p.name() + "[" + i + "]");
    }

    private static double loss(Network net, double[] x, int[] labels) {
        net.forward(x, true, 0.0, null);
        return net.backward(labels);
    }
}
