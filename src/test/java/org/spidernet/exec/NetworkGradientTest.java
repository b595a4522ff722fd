package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.OpType;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole compiled network's backward pass against central finite differences of its loss, on
 * the float64 reference backend: random parameter elements, and every gate's straight-through
 * gradient as the derivative of the loss with respect to a multiplier on the op's output.
 */
class NetworkGradientTest {
    // step, tolerance and the retry across ReLU and max-pool kinks: CentralDifference

    static Genome smallGrownGenome() {
        Genome g = Genome.initial(new InputSpec(2, 7, 6, 3), 2, 1);
        g = new EdgeSplit(1, 0, 2).applyTo(g);   // grow the reduction cell
        return new EdgeSplit(0, 1, 2).applyTo(g); // and the first cell
    }

    private static double loss(Network net, float[] x, int[] labels) {
        net.runForward();
        return net.backward(labels);
    }

    @Test
    void parameterAndGateGradientsMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome genome = smallGrownGenome();
        int batch = 3;
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(genome, batch, b.bytesPerElement());
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                // open every gate (initial weight 0.01 > 0), no drop-path; a random input
                float[] x = new float[batch * 2 * 7 * 6];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                int[] labels = {r.nextInt(3), r.nextInt(3), r.nextInt(3)};
                net.forward(x, true, 0.0, null);
                net.backward(labels);
                // snapshot analytic gradients
                List<ParamSpec> params = plan.parameters();
                int checked = 0;
                for (int trial = 0; trial < 25; trial++) {
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
                    }, analytic, "seed " + seed + " param " + p.name() + "[" + i + "]");
                    checked++;
                }
                assertEquals(25, checked);
                // gates: dL/dw (straight-through) = dL/ds for y = s * op(x) at s = 1
                RunContext ctx = net.context();
                double maxGateGrad = 0;
                for (GateSpec g : plan.gates()) {
                    net.forward(x, true, 0.0, null);
                    net.backward(labels);
                    double analytic = net.gateGradients()[g.index()];
                    maxGateGrad = Math.max(maxGateGrad, Math.abs(analytic));
                    CentralDifference.assertMatches(h -> {
                        java.util.Arrays.fill(ctx.pathFactor[g.index()], 1 + h);
                        double lp = loss(net, x, labels);
                        java.util.Arrays.fill(ctx.pathFactor[g.index()], 1 - h);
                        double lm = loss(net, x, labels);
                        java.util.Arrays.fill(ctx.pathFactor[g.index()], 1.0);
                        return (lp - lm) / (2 * h);
                    }, analytic, "seed " + seed + " gate " + g.label());
                }
                assertTrue(maxGateGrad > 1e-6, "gate gradients are all ~0: " + maxGateGrad);
            }
        }
    }

    @Test
    void closedGateBlocksGradientButStillGetsOne() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome genome = Genome.initial(new InputSpec(1, 5, 5, 2), 2, 0);
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(genome, 2, 8);
            try (Network net = Network.bind(plan, b)) {
                net.initialize(seed, InitScheme.FAN_IN);
                GateSpec sep = plan.gates().stream().filter(g -> OpType.fromName(g.op()).isSeparableConv()).findFirst().orElseThrow();
                net.gateWeights()[sep.index()] = -0.01;
                float[] x = new float[2 * 25];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                net.forward(x, true, 0, null);
                net.backward(new int[]{0, 1});
                assertTrue(Math.abs(net.gateGradients()[sep.index()]) > 0, "closed gate must still get a gradient, seed " + seed);
                for (ParamSpec p : plan.parameters()) {
                    if (p.gate() == sep.index()) {
                        double[] g = b.download(net.tensor(p.grad()));
                        for (double d : g) {
                            assertEquals(0.0, d, "closed op's parameter " + p.name() + " got a gradient");
                        }
                    }
                }
            }
        }
    }
}
