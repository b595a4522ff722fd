package org.spidernet.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.cpu.CpuBackend;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Genome;
import org.spidernet.train.ParameterTensors;

/**
 * Training steps whose per-step data (labels, drop-path masks, learning rate) lives in tensors
 * uploaded before the step, and whose loss stays on the backend until read after it, compute bit
 * for bit what the earlier SPI computed from host arrays and a host learning rate
 * ({@link HostArgumentOps}, an independent copy of those ops), on the reference and the cpu
 * backend: several steps with drop-path at a keep probability whose inverse is not a float32
 * (0.7), a closed gate, a pruned gate and the auxiliary head, and a learning rate decayed per step
 * (cosine, none of the rates a float32 value), with SGD and the gate update in between so that any
 * difference would compound.
 */
class StepDataOnDeviceTest {
    private static final double DROP = 0.3;

    @Test
    void stepsMatchTheHostArgumentOpsBitForBitOnReferenceAndCpu() {
        long seed = System.nanoTime();
        try (ReferenceBackend ref = new ReferenceBackend(); CpuBackend cpu = new CpuBackend(2)) {
            for (Backend b : List.of(ref, cpu)) {
                compare(b, seed);
            }
        }
    }

    private static void compare(Backend b, long seed) {
        Random r = new Random(seed);
        Genome g = SharedMemoryTest.randomGrown(r, 2 + r.nextInt(3));
        int batch = 3 + r.nextInt(3);
        ExecutionPlan plan = ExecutionPlan.compile(g, batch, b.bytesPerElement());
        assertTrue(plan.heads().size() >= 2, "the genome has an auxiliary head");
        HostArgumentOps oracle = HostArgumentOps.over(b);
        try (Network now = Network.bind(plan, b); Network before = Network.bind(plan, oracle.backend())) {
            oracle.context = before.context();
            int gates = plan.gates().size();
            int closed = r.nextInt(gates);
            int pruned = (closed + 1 + r.nextInt(gates - 1)) % gates;
            for (Network n : List.of(now, before)) {
                n.initialize(seed, InitScheme.FAN_IN);
                n.gateWeights()[closed] = -0.01;
                n.prune(pruned);
            }
            double[] velocity = new double[gates];
            double[] oracleVelocity = new double[gates];
            int classes = g.input().classes();
            int dropped = 0;
            for (int step = 0; step < 4; step++) {
                String where = b.name() + " step " + step + ", seed " + seed;
                // per-step cosine decay from 0.05 over 6 steps
                double rate = 0.05 * 0.5 * (1 + Math.cos(Math.PI * step / 6.0));
                assertTrue((float) rate != rate, "rate " + rate + " is a float32 value: no rounding to see");
                float[] x = new float[(int) now.input().size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    labels[i] = r.nextInt(classes);
                }
                long dropSeed = r.nextLong();
                now.forward(x, true, DROP, new Random(dropSeed));
                double loss = now.backward(labels);
                before.forward(x, true, DROP, new Random(dropSeed));
                oracle.labels = labels;
                oracle.loss = 0;
                before.backward(labels);
                for (double[] f : before.context().pathFactor) {
                    for (double v : f) {
                        dropped += v == 0 ? 1 : 0;
                    }
                }
                if (b.bytesPerElement() == 8) {
                    assertEquals(oracle.loss, loss, 0.0, "loss, " + where);
                } else {
                    // the loss now lives in a float32 tensor: the float64 sum, rounded once per head
                    assertEquals(oracle.loss, loss, 4 * Math.ulp((float) oracle.loss), "loss, " + where);
                }
                assertArrayEquals(before.gateGradients(), now.gateGradients(), 0.0, "gate gradients, " + where);
                assertArrayEquals(before.classifierLogits(), now.classifierLogits(), 0.0, "logits, " + where);
                for (ParamSpec p : plan.parameters()) {
                    assertArrayEquals(b.download(before.tensor(p.grad())), b.download(now.tensor(p.grad())), 0.0,
                            p.name() + ".grad, " + where);
                }
                now.setLearningRate(rate);
                ParameterTensors.of(now).step(b, 0.9, 3e-4);
                oracle.rate = rate;  // the oracle never reads before's rate tensor, which stays unset
                ParameterTensors.of(before).step(oracle.backend(), 0.9, 3e-4);
                gateStep(now, velocity, rate);
                gateStep(before, oracleVelocity, rate);
            }
            assertTrue(dropped > 0, "drop-path dropped no path in 4 steps, seed " + seed);
            for (ParamSpec p : plan.parameters()) {
                assertArrayEquals(b.download(before.tensor(p.value())), b.download(now.tensor(p.value())), 0.0,
                        p.name() + " after 4 steps on " + b.name() + ", seed " + seed);
            }
            assertArrayEquals(before.gateWeights(), now.gateWeights(), 0.0, "gates after 4 steps, seed " + seed);
        }
    }

    /** The trainer's gate update (clamp, weight decay, momentum), on the host. */
    private static void gateStep(Network net, double[] velocity, double rate) {
        double[] w = net.gateWeights();
        double[] grad = net.gateGradients();
        for (int g = 0; g < w.length; g++) {
            if (net.isPruned(g)) {
                continue;
            }
            w[g] = Math.max(-0.05, Math.min(0.05, w[g]));
            velocity[g] = 0.9 * velocity[g] + grad[g] + 3e-4 * w[g];
            w[g] -= rate * velocity[g];
        }
    }

    /** The rate lands in {@code sgd.rate} rounded to the backend's elements; a rate it cannot hold is refused. */
    @Test
    void theLearningRateIsUploadedIntoThePlansRateTensor() {
        long seed = System.nanoTime();
        double rate = 0.01 + 0.1 * new Random(seed).nextDouble();
        Genome g = NetworkGradientTest.smallGrownGenome();
        try (ReferenceBackend ref = new ReferenceBackend(); CpuBackend cpu = new CpuBackend(2)) {
            for (Backend b : List.of(ref, cpu)) {
                try (Network net = Network.bind(ExecutionPlan.compile(g, 2, b.bytesPerElement()), b)) {
                    String where = b.name() + ", rate " + rate;
                    assertArrayEquals(new int[] {1}, net.learningRate().shape(), where);
                    net.setLearningRate(rate);
                    double expected = b.bytesPerElement() == 8 ? rate : (float) rate;
                    assertEquals(expected, b.download(net.learningRate())[0], 0.0, where);
                    net.setLearningRate(-0.0);
                    double negativeZero = b.download(net.learningRate())[0];
                    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(negativeZero),
                            "-0.0 is its own rate, " + where);
                    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> net.setLearningRate(bad));
                        assertTrue(e.getMessage().contains("learning rate " + bad), e.getMessage());
                    }
                    if (b.bytesPerElement() == Float.BYTES) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> net.setLearningRate(1e39));
                        assertTrue(e.getMessage().contains("float32"), e.getMessage());
                    } else {
                        net.setLearningRate(1e39);
                        assertEquals(1e39, b.download(net.learningRate())[0], 0.0);
                    }
                }
            }
        }
    }

    @Test
    void runStepLeavesTheLossOnTheBackendForOneReadAfterwards() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome g = NetworkGradientTest.smallGrownGenome();
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(g, 3, b.bytesPerElement());
            try (Network split = Network.bind(plan, b); Network whole = Network.bind(plan, b)) {
                float[] x = new float[(int) split.input().size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                int[] labels = {r.nextInt(3), r.nextInt(3), r.nextInt(3)};
                long dropSeed = r.nextLong();
                for (Network n : List.of(split, whole)) {
                    n.initialize(seed, InitScheme.FAN_IN);
                    b.upload(n.input(), x);
                }
                split.beginStep(true, DROP, new Random(dropSeed), labels);
                StepKey key = split.stepKey();
                split.runStep();
                whole.forward(true, DROP, new Random(dropSeed));
                double expected = whole.backward(labels);
                assertEquals(expected, split.lossOfLastStep(), 0.0, "seed " + seed);
                assertArrayEquals(whole.gateGradients(), split.gateGradients(), 0.0, "seed " + seed);
                assertEquals(key, whole.stepKey(), "the same gate state and drop-path give the same key");
                assertTrue(key.training());
                whole.gateWeights()[1] = -0.01;
                whole.forward(true, DROP, new Random(dropSeed));
                assertNotEquals(key, whole.stepKey(), "a closed gate changes the key");
                assertFalse(whole.stepKey().open().get(1));
                whole.forward(false, 0, null);
                assertFalse(whole.stepKey().training());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> split.setLabels(new int[] {0, 3, 1}));
                assertTrue(e.getMessage().contains("label 3"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> split.setLabels(new int[] {0, 1}));
            }
        }
    }
}
