package org.spidernet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.nd4j.Nd4jBackend;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.StepKey;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

/**
 * Captured training steps on the host backends, where a capture re-runs the step: the trainer
 * with capture computes bit for bit what it computes without (drop-path, pruning, a learning rate
 * that changes per epoch), a step is captured once per key, and a closed gate changes the key.
 */
class StepCaptureTest {
    private static final int SIZE = 8;

    private record Outcome(List<EpochMetrics> history, Map<String, double[]> state, int captures) {
    }

    private static Outcome train(Backend b, long seed, ImageDataset data, boolean capture, boolean perStepDecay) {
        Genome g = Genome.initial(new InputSpec(1, SIZE, SIZE, 3), 2, 1);
        TrainConfig cfg = TrainConfig.spiderNetDefaults(seed).withEpochs(3).withBatch(8).withLearningRate(0.05)
                .withAugmentation(1, true, 3, 0.5).withDropPath(0.3).withPerStepDecay(perStepDecay);
        try (Network net = Network.bind(ExecutionPlan.compile(g, 8, b.bytesPerElement()), b)) {
            net.initialize(seed, InitScheme.FAN_IN);
            net.gateWeights()[1] = -0.01;  // one gate starts closed
            Trainer t = new Trainer(net, cfg, data, data.channelStats()).withStepCapture(capture);
            List<EpochMetrics> h = t.run(0, data.first(16), TrainingListener.NONE);
            return new Outcome(h, net.exportState(), t.stepCaptures());
        }
    }

    @Test
    void capturedTrainingMatchesDirectTrainingBitForBitOnReferenceAndCpu() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, SIZE, seed);
        try (ReferenceBackend ref = new ReferenceBackend(); Nd4jBackend cpu = new Nd4jBackend(2)) {
            for (Backend b : List.of(ref, cpu)) {
                Outcome direct = train(b, seed, data, false, false);
                Outcome captured = train(b, seed, data, true, false);
                String where = b.name() + ", seed " + seed;
                assertEquals(0, direct.captures(), where);
                // the rate changes per epoch, so at least one capture per epoch
                assertTrue(captured.captures() >= 3, captured.captures() + " captures, " + where);
                for (int e = 0; e < 3; e++) {
                    assertEquals(direct.history().get(e).trainLoss(), captured.history().get(e).trainLoss(), 0.0,
                            "train loss epoch " + e + ", " + where);
                    assertEquals(direct.history().get(e).trainAccuracy(), captured.history().get(e).trainAccuracy(),
                            0.0, "train accuracy epoch " + e + ", " + where);
                    assertEquals(direct.history().get(e).validationLoss(), captured.history().get(e).validationLoss(),
                            0.0, "validation loss epoch " + e + ", " + where);
                }
                for (String k : direct.state().keySet()) {
                    assertArrayEquals(direct.state().get(k), captured.state().get(k), 0.0, k + ", " + where);
                }
            }
        }
    }

    @Test
    void perStepDecayRunsTheStepDirectly() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(24, 3, SIZE, seed);
        try (ReferenceBackend ref = new ReferenceBackend()) {
            assertEquals(0, train(ref, seed, data, true, true).captures(), "seed " + seed);
        }
    }

    @Test
    void aStepIsCapturedOncePerKeyAndAgainWhenAGateCloses() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome g = Genome.initial(new InputSpec(1, 5, 5, 2), 2, 0);
        try (ReferenceBackend b = new ReferenceBackend();
             Network net = Network.bind(ExecutionPlan.compile(g, 2, 8), b);
             CapturedTrainingStep captured = new CapturedTrainingStep(b, true)) {
            net.initialize(seed, InitScheme.FAN_IN);
            int[] runs = new int[1];
            Runnable step = () -> {
                net.runStep();
                runs[0]++;
            };
            StepKey open = step(net, r, 0.2);
            captured.run(open, step);
            StepKey again = step(net, r, 0.2);
            assertEquals(open, again, "new masks and labels, same key");
            captured.run(again, step);
            assertEquals(1, captured.captures());
            assertEquals(2, runs[0], "every run performs the step once");
            net.gateWeights()[0] = -0.01;  // the gate closes
            StepKey closed = step(net, r, 0.2);
            captured.run(closed, step);
            assertEquals(2, captured.captures(), "a closed gate is a new key");
            net.gateWeights()[0] = 0.01;
            captured.run(step(net, r, 0.2), step);
            assertEquals(3, captured.captures(), "one step is kept: reopening captures again");
            captured.run(step(net, r, 0.0), step);
            assertEquals(4, captured.captures(), "path scales are part of the key");
            assertEquals(5, runs[0]);
            assertTrue(Double.isFinite(net.lossOfLastStep()), "seed " + seed);
        }
        try (ReferenceBackend b = new ReferenceBackend(); CapturedTrainingStep off = new CapturedTrainingStep(b, false)) {
            int[] runs = new int[1];
            off.run("key", () -> runs[0]++);
            off.run("key", () -> runs[0]++);
            assertEquals(2, runs[0]);
            assertEquals(0, off.captures(), "capture off runs the step directly");
        }
    }

    /** Host half of a step with fresh input, labels and masks; returns its key. */
    private static StepKey step(Network net, Random r, double drop) {
        double[] x = new double[(int) net.input().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        net.backend().upload(net.input(), x);
        net.beginStep(true, drop, new Random(r.nextLong()), new int[] {r.nextInt(2), r.nextInt(2)});
        return net.stepKey();
    }

    @Test
    void theHostBackendsCaptureReplaysTheStepUntilClosed() {
        try (ReferenceBackend b = new ReferenceBackend()) {
            int[] runs = new int[1];
            CapturedStep s = b.capture(() -> runs[0]++);
            assertEquals(0, runs[0], "capturing runs nothing");
            s.replay();
            s.replay();
            assertEquals(2, runs[0]);
            s.close();
            assertThrows(IllegalStateException.class, s::replay);
        }
    }
}
