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
import org.spidernet.backend.cpu.CpuBackend;
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
 * that changes per epoch or per step), a step is captured once per key whatever the rate does (the
 * rate is step data in a tensor), and a closed gate changes the key.
 */
class StepCaptureTest {
    private static final int SIZE = 8;

    /** A run's history, final state, captures, and the number of times the step key changed (the first step counts). */
    private record Outcome(List<EpochMetrics> history, Map<String, double[]> state, int captures, int keyChanges) {
    }

    private static Outcome train(Backend b, long seed, ImageDataset data, boolean capture, boolean perStepDecay) {
        Genome g = Genome.initial(new InputSpec(1, SIZE, SIZE, 3), 2, 1);
        TrainConfig cfg = TrainConfig.spiderNetDefaults(seed).withEpochs(3).withBatch(8).withLearningRate(0.05)
                .withAugmentation(1, true, 3, 0.5).withDropPath(0.3).withPerStepDecay(perStepDecay);
        try (Network net = Network.bind(ExecutionPlan.compile(g, 8, b.bytesPerElement()), b)) {
            net.initialize(seed, InitScheme.FAN_IN);
            net.gateWeights()[1] = -0.01;  // one gate starts closed
            Trainer t = new Trainer(net, cfg, data, data.channelStats()).withStepCapture(capture);
            // the key of each step, read right after it (before the next step's host half)
            StepKey[] last = new StepKey[1];
            int[] changes = new int[1];
            TrainingListener keys = new TrainingListener() {
                @Override
                public void stepFinished(int epoch, int step, double loss) {
                    StepKey k = net.stepKey();
                    if (!k.equals(last[0])) {
                        changes[0]++;
                        last[0] = k;
                    }
                }
            };
            List<EpochMetrics> h = t.run(0, data.first(16), keys);
            return new Outcome(h, net.exportState(), t.stepCaptures(), changes[0]);
        }
    }

    @Test
    void capturedTrainingMatchesDirectTrainingBitForBitOnReferenceAndCpu() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, SIZE, seed);
        try (ReferenceBackend ref = new ReferenceBackend(); CpuBackend cpu = new CpuBackend(2)) {
            for (Backend b : List.of(ref, cpu)) {
                for (boolean perStepDecay : new boolean[] {false, true}) {
                    compareCapturedWithDirect(b, seed, data, perStepDecay);
                }
            }
        }
    }

    private static void compareCapturedWithDirect(Backend b, long seed, ImageDataset data, boolean perStepDecay) {
        Outcome direct = train(b, seed, data, false, perStepDecay);
        Outcome captured = train(b, seed, data, true, perStepDecay);
        String where = b.name() + (perStepDecay ? ", per-step decay" : ", per-epoch decay") + ", seed " + seed;
        assertEquals(0, direct.captures(), where);
        // once per key: the rate, which changes every epoch or every step, is not part of it
        assertTrue(captured.keyChanges() >= 1, where);
        assertEquals(captured.keyChanges(), captured.captures(), "captures vs key changes, " + where);
        for (int e = 0; e < 3; e++) {
            assertEquals(direct.history().get(e).trainLoss(), captured.history().get(e).trainLoss(), 0.0,
                    "train loss epoch " + e + ", " + where);
            assertEquals(direct.history().get(e).trainAccuracy(), captured.history().get(e).trainAccuracy(), 0.0,
                    "train accuracy epoch " + e + ", " + where);
            assertEquals(direct.history().get(e).validationLoss(), captured.history().get(e).validationLoss(), 0.0,
                    "validation loss epoch " + e + ", " + where);
        }
        for (String k : direct.state().keySet()) {
            assertArrayEquals(direct.state().get(k), captured.state().get(k), 0.0, k + ", " + where);
        }
    }

    /**
     * One captured step (forward, loss, backward, SGD) replayed with a new learning rate each time
     * equals the same steps run directly with those rates, bit for bit, and is captured once: the
     * rate reaches the update through the network's {@code sgd.rate} tensor, not the capture.
     */
    @Test
    void aCapturedStepReplaysWithEachStepsLearningRate() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome g = Genome.initial(new InputSpec(1, 5, 5, 2), 2, 0);
        try (ReferenceBackend ref = new ReferenceBackend(); CpuBackend cpu = new CpuBackend(2)) {
            for (Backend b : List.of(ref, cpu)) {
                ExecutionPlan plan = ExecutionPlan.compile(g, 2, b.bytesPerElement());
                try (Network replayed = Network.bind(plan, b); Network direct = Network.bind(plan, b);
                     CapturedTrainingStep captured = new CapturedTrainingStep(b, true)) {
                    replayed.initialize(seed, InitScheme.FAN_IN);
                    direct.initialize(seed, InitScheme.FAN_IN);
                    ParameterTensors pr = ParameterTensors.of(replayed);
                    ParameterTensors pd = ParameterTensors.of(direct);
                    Runnable body = () -> {
                        replayed.runStep();
                        pr.step(b, 0.9, 3e-4);
                    };
                    CosineSchedule schedule = new CosineSchedule(0.1, 1);
                    for (int s = 0; s < 5; s++) {
                        double rate = schedule.rate(s / 5.0);
                        long stepSeed = r.nextLong();
                        StepKey key = step(replayed, new Random(stepSeed), 0.2);
                        replayed.setLearningRate(rate);
                        captured.run(key, body);
                        step(direct, new Random(stepSeed), 0.2);
                        direct.setLearningRate(rate);
                        direct.runStep();
                        pd.step(b, 0.9, 3e-4);
                    }
                    String where = b.name() + ", seed " + seed;
                    assertEquals(1, captured.captures(), "five rates, one key: " + where);
                    Map<String, double[]> a = direct.exportState();
                    Map<String, double[]> c = replayed.exportState();
                    for (String k : a.keySet()) {
                        assertArrayEquals(a.get(k), c.get(k), 0.0, k + ", " + where);
                    }
                    double last = schedule.rate(4 / 5.0);
                    assertEquals(b.bytesPerElement() == 8 ? last : (float) last,
                            b.download(replayed.learningRate())[0], 0.0, "the last step's rate was uploaded, " + where);
                }
            }
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
