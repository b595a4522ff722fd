package org.spidernet.train;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
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

/** Stopping after an epoch and resuming from the saved state gives exactly the uninterrupted run. */
class TrainerResumeTest {

    @Test
    void resumedRunEqualsUninterruptedRun() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(40, 3, 8, seed);
        Genome g = Genome.initial(new InputSpec(1, 8, 8, 3), 2, 1);
        // a one-epoch deletion window so gates really get deleted and the window state matters
        TrainConfig cfg = new TrainConfig(3, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.6, 0, seed, true);
        Map<String, double[]> full;
        List<EpochMetrics> fullHistory;
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Network.bind(ExecutionPlan.compile(g, 8, 8), b)) {
            net.initialize(seed, InitScheme.FAN_IN);
            Trainer t = new Trainer(net, cfg, data, data.channelStats());
            fullHistory = t.run(0, data.first(8), TrainingListener.NONE);
            full = net.exportState();
        }
        Map<String, double[]> weights;
        Map<String, double[]> momentum;
        TrainerState state;
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Network.bind(ExecutionPlan.compile(g, 8, 8), b)) {
            net.initialize(seed, InitScheme.FAN_IN);
            Trainer t = new Trainer(net, cfg.withEpochs(3), data, data.channelStats());
            t.runEpochs(0, 1, data.first(8), TrainingListener.NONE);
            weights = net.exportState();
            momentum = net.exportMomentum();
            state = t.state();
        }
        assertEquals(1, state.epochsCompleted());
        assertEquals(1, state.windowCounts().size(), "the deletion window must be part of the saved state");
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Network.bind(ExecutionPlan.compile(g, 8, 8), b)) {
            net.initialize(seed + 1, InitScheme.FAN_IN); // overwritten below: the resume must not depend on it
            net.importState(weights);
            net.importMomentum(momentum);
            Trainer t = new Trainer(net, cfg, data, data.channelStats());
            t.restore(state);
            List<EpochMetrics> resumed = t.run(state.epochsCompleted(), data.first(8), TrainingListener.NONE);
            assertEquals(fullHistory.size(), resumed.size());
            for (int e = 0; e < resumed.size(); e++) {
                assertEquals(fullHistory.get(e).trainLoss(), resumed.get(e).trainLoss(), 0.0, "seed " + seed + " epoch " + e);
                assertEquals(fullHistory.get(e).pruned(), resumed.get(e).pruned(), "seed " + seed + " epoch " + e);
            }
            Map<String, double[]> end = net.exportState();
            for (String k : full.keySet()) {
                assertArrayEquals(full.get(k), end.get(k), 0.0, "seed " + seed + " " + k);
            }
        }
    }
}
