package org.spidernet.train;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    static final int SIZE = 8;

    private record Outcome(List<EpochMetrics> history, Map<String, double[]> state) {
    }

    private static Outcome train(long seed, ImageDataset data, int epochs) {
        Genome g = Genome.initial(new InputSpec(1, SIZE, SIZE, 3), 2, 1);
        TrainConfig cfg = TrainConfig.spiderNetDefaults(seed).withEpochs(epochs).withBatch(8).withLearningRate(0.05)
                .withAugmentation(1, true, 3, 0.5);
        try (ReferenceBackend b = new ReferenceBackend();
             Network net = Network.bind(ExecutionPlan.compile(g, 8, 8), b)) {
            net.initialize(seed, InitScheme.FAN_IN);
            ChannelStats stats = data.channelStats();
            Trainer t = new Trainer(net, cfg, data, stats);
            List<EpochMetrics> h = t.run(0, data.first(16), TrainingListener.NONE);
            return new Outcome(h, net.exportState());
        }
    }

    @Test
    void sameSeedSameNumbersDifferentSeedDifferentNumbers() {
        ImageDataset data = SyntheticImages.make(48, 3, SIZE, 7);
        Outcome a = train(11, data, 2);
        Outcome b = train(11, data, 2);
        Outcome c = train(12, data, 2);
        for (int e = 0; e < 2; e++) {
            assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 0.0);
            assertEquals(a.history().get(e).validationLoss(), b.history().get(e).validationLoss(), 0.0);
        }
        for (String k : a.state().keySet()) {
            assertArrayEquals(a.state().get(k), b.state().get(k), 0.0, k);
        }
        assertNotEquals(a.history().get(1).trainLoss(), c.history().get(1).trainLoss());
    }

    @Test
    void learnsASimpleTask() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(96, 3, SIZE, seed);
        Outcome o = train(seed, data, 4);
        EpochMetrics first = o.history().get(0);
        EpochMetrics last = o.history().get(3);
        assertTrue(last.trainLoss() < first.trainLoss(), "loss did not fall: " + o.history() + " seed " + seed);
    }

    @Test
    void cosineScheduleEndsAtZeroAndStepsPerEpoch() {
        CosineSchedule s = new CosineSchedule(0.01, 4);
        assertEquals(0.01, s.rate(0), 1e-15);
        assertEquals(0.005, s.rate(2), 1e-15);
        assertEquals(0.0, s.rate(4), 1e-15);
        assertTrue(s.rate(3) > 0 && s.rate(3) < s.rate(2));
        // per-step decay passes through the per-epoch values and falls in between
        assertEquals(s.rate(2), s.rate(2.0), 0.0);
        assertTrue(s.rate(2.5) < s.rate(2) && s.rate(2.5) > s.rate(3));
    }

    @Test
    void deletionRuleWaitsForTheWindowThenDeletesRarelyOpenGates() {
        GateOpenTracker t = new GateOpenTracker(3, 4, 0.25);
        // gate 0 always open, gate 1 open on 1 of 4 batches (exactly 25%: kept), gate 2 never
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int b = 0; b < 4; b++) {
                t.record(new boolean[]{true, b == 0, false});
            }
            List<Integer> due = t.endEpoch();
            if (epoch < 3) {
                assertTrue(due.isEmpty(), "nothing may be deleted before 4 epochs of counts");
            } else {
                assertEquals(List.of(2), due);
            }
        }
        // a fifth epoch with gate 0 closed: its window now has 12 of 16 open -> kept
        for (int b = 0; b < 4; b++) {
            t.record(new boolean[]{false, false, false});
        }
        assertEquals(List.of(1, 2), t.endEpoch());
    }
}
