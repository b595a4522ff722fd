package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.Tensor;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GatedSumTwins;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.StepKey;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.ParameterTensors;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

/**
 * A training step captured as a CUDA graph and replayed computes bit for bit what the same step
 * computes when its ops are launched one by one: the kernels are deterministic, so any difference
 * is a replay reading stale host data (a factor, a label, a learning rate baked into the graph
 * instead of read from the network's {@code sgd.rate} tensor) or stale device addresses. Two
 * backends (two contexts, each with its own stream, workspace and SGD table) run the same steps on
 * the same data, one eagerly and one through {@link CudaBackend#capture}. Skipped, with the probe's reason, where no usable CUDA device exists.
 */
class CudaCapturedStepTest {
    private static final int BATCH = 16;
    private static final double DROP = 0.3;

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private CudaBackend eager;
    private CudaBackend graphs;

    @BeforeEach
    void openBackends() {
        Availability device = CudaBackendProvider.deviceAvailability();
        assumeTrue(device.usable(), "CUDA backend unavailable: " + device.detail());
        eager = CudaBackend.open();
        graphs = CudaBackend.open();
    }

    @AfterEach
    void closeBackends() {
        if (eager != null) {
            eager.close();
        }
        if (graphs != null) {
            graphs.close();
        }
    }

    /** SpiderNet's initial net with one reduction (so it has an auxiliary head), small enough to run in seconds. */
    private static ExecutionPlan plan() {
        return ExecutionPlan.compile(Genome.initial(new InputSpec(3, 16, 16, 10), 8, 1), BATCH, Float.BYTES);
    }

    /** Both networks from the same weights; one gate shut from the start. */
    private void initialise(Network a, Network b) {
        a.initialize(seed, InitScheme.FAN_IN);
        a.gateWeights()[2] = -0.01;
        b.importState(a.exportState());
        b.importMomentum(a.exportMomentum());
    }

    private void assertSame(Network a, Network b, String where) {
        assertEquals(a.lossOfLastStep(), b.lossOfLastStep(), 0.0, "loss, " + where);
        assertArrayEquals(a.gateGradients(), b.gateGradients(), 0.0, "gate gradients, " + where);
        assertArrayEquals(a.classifierLogits(), b.classifierLogits(), 0.0, "logits, " + where);
        Map<String, double[]> sa = a.exportState();
        Map<String, double[]> sb = b.exportState();
        for (String k : sa.keySet()) {
            assertArrayEquals(sa.get(k), sb.get(k), 0.0, k + ", " + where);
        }
        Map<String, double[]> ma = a.exportMomentum();
        Map<String, double[]> mb = b.exportMomentum();
        for (String k : ma.keySet()) {
            assertArrayEquals(ma.get(k), mb.get(k), 0.0, k + ", " + where);
        }
    }

    /** Per-step cosine decay: every replay of the one recorded graph updates with its own step's rate. */
    @Test
    void replayedStepsMatchEagerStepsBitForBit() {
        ExecutionPlan plan = plan();
        try (Network a = Network.bind(plan, eager); Network b = Network.bind(plan, graphs)) {
            initialise(a, b);
            ParameterTensors pa = ParameterTensors.of(a);
            ParameterTensors pb = ParameterTensors.of(b);
            try (CapturedStep step = graphs.capture(() -> {
                b.runStep();
                pb.step(graphs, 0.9, 3e-4);
            })) {
                StepKey key = null;
                float previous = Float.NaN;
                for (int s = 0; s < 5; s++) {
                    double lr = 0.05 * 0.5 * (1 + Math.cos(Math.PI * s / 5.0));
                    assertNotEquals(previous, (float) lr, "each step's float32 rate differs from the last");
                    previous = (float) lr;
                    GatedSumTwins.beginSameStep(random, BATCH, 10, DROP, a, b);
                    a.setLearningRate(lr);
                    b.setLearningRate(lr);
                    if (key == null) {
                        key = b.stepKey();
                    }
                    assertEquals(key, b.stepKey(), "the gates do not move in this test");
                    a.runStep();
                    pa.step(eager, 0.9, 3e-4);
                    step.replay();
                    assertSame(a, b, "step " + s + ", rate " + lr + ", seed " + seed);
                }
                assertEquals(1, ((CudaCapturedStep) step).recordings(), "recorded once, then replayed");
            }
        }
    }

    @Test
    void aStepIsRecordedAgainAfterAGateClosesAndAfterTheWorkspaceGrew() {
        ExecutionPlan plan = plan();
        try (Network a = Network.bind(plan, eager); Network b = Network.bind(plan, graphs)) {
            initialise(a, b);
            ParameterTensors pa = ParameterTensors.of(a);
            ParameterTensors pb = ParameterTensors.of(b);
            a.setLearningRate(0.05);
            b.setLearningRate(0.05);
            Runnable body = () -> {
                b.runStep();
                pb.step(graphs, 0.9, 3e-4);
            };
            CapturedStep step = graphs.capture(body);
            StepKey first = null;
            for (int s = 0; s < 6; s++) {
                if (s == 3) {
                    // a gate closes: the step's ops change, so the captured step is replaced
                    a.gateWeights()[0] = -0.01;
                    b.gateWeights()[0] = -0.01;
                }
                GatedSumTwins.beginSameStep(random, BATCH, 10, DROP, a, b);
                if (s == 0) {
                    first = b.stepKey();
                }
                if (s == 3) {
                    assertNotEquals(first, b.stepKey());
                    step.close();
                    step = graphs.capture(body);
                }
                if (s == 5) {
                    // another op grows the reduction workspace the graph points into
                    try (Tensor big = graphs.allocate(BATCH, 1 << 18)) {
                        graphs.dotPerSample(big, big);
                    }
                }
                a.runStep();
                pa.step(eager, 0.9, 3e-4);
                step.replay();
                assertSame(a, b, "step " + s + ", seed " + seed);
            }
            assertEquals(2, ((CudaCapturedStep) step).recordings(),
                    "recorded after the gate closed, and again after the workspace grew");
            step.close();
            assertThrows(IllegalStateException.class, step::replay);
        }
    }

    @Test
    void recordingRefusesHostWorkAndLeavesTheStreamUsable() {
        try (Tensor t = graphs.allocate(4); Tensor u = graphs.allocate(4)) {
            graphs.upload(t, new float[] {1, 2, 3, 4});
            CapturedStep reads = graphs.capture(() -> {
                graphs.copy(t, u);
                graphs.download(u);
            });
            // the first replay runs the ops (the download is fine there), then recording refuses it
            IllegalStateException e = assertThrows(IllegalStateException.class, reads::replay);
            assertTrue(e.getMessage().contains("download inside a captured step"), e.getMessage());
            reads.close();
            graphs.axpy(1.0, t, u);
            assertArrayEquals(new double[] {2, 4, 6, 8}, graphs.download(u), 0.0, "the stream works after the abort");
        }
    }

    @Test
    void theTrainerComputesTheSameWithAndWithoutCapture() {
        trainWithAndWithoutCapture(false);
    }

    /** The {@code train} command's default: the rate changes every step, the captured step is replayed anyway. */
    @Test
    void theTrainerComputesTheSameWithAndWithoutCaptureUnderPerStepDecay() {
        trainWithAndWithoutCapture(true);
    }

    private void trainWithAndWithoutCapture(boolean perStepDecay) {
        // the emulated device runs every GPU thread as a CPU fiber: fewer steps keep the test to seconds
        ImageDataset data = SyntheticImages.make(CudaProbe.result().emulated() ? 32 : 64, 10, 16, seed);
        Genome g = Genome.initial(new InputSpec(1, 16, 16, 10), 8, 1);
        TrainConfig cfg = TrainConfig.spiderNetDefaults(seed).withEpochs(2).withBatch(BATCH).withLearningRate(0.05)
                .withAugmentation(2, true, 4, 0.5).withDropPath(DROP).withPerStepDecay(perStepDecay);
        List<List<EpochMetrics>> histories = new java.util.ArrayList<>();
        List<Map<String, double[]>> states = new java.util.ArrayList<>();
        for (CudaBackend backend : List.of(eager, graphs)) {
            try (Network net = Network.bind(ExecutionPlan.compile(g, BATCH, Float.BYTES), backend)) {
                net.initialize(seed, InitScheme.FAN_IN);
                Trainer t = new Trainer(net, cfg, data, data.channelStats()).withStepCapture(backend == graphs);
                histories.add(t.run(0, data.first(16), TrainingListener.NONE));
                states.add(net.exportState());
            }
        }
        for (int e = 0; e < 2; e++) {
            assertEquals(histories.get(0).get(e).trainLoss(), histories.get(1).get(e).trainLoss(), 0.0,
                    "train loss epoch " + e + ", seed " + seed);
            assertEquals(histories.get(0).get(e).validationLoss(), histories.get(1).get(e).validationLoss(), 0.0,
                    "validation loss epoch " + e + ", seed " + seed);
        }
        for (String k : states.get(0).keySet()) {
            assertArrayEquals(states.get(0).get(k), states.get(1).get(k), 0.0, k + ", seed " + seed);
        }
    }
}
