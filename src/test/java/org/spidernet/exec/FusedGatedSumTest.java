package org.spidernet.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.cpu.CpuBackend;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Genome;
import org.spidernet.train.ParameterTensors;

/**
 * The engine's gated sums go to the backend as one fused call per node ({@link Backend#gatedSum},
 * {@link Backend#gatedSumBackward}) and compute bit for bit what the per-op path computed (one
 * {@code scaleAddPerSample} per open op forward; {@code gateGradient} per op and
 * {@code scaleAddPerSample} per open op backward), on the reference and the cpu backend: training
 * steps of a random grown net with fresh random inputs, drop-path at keep 0.7 (1 / keep is not a
 * float32), a closed gate (its op gets no input gradient, its gate still gets one), a pruned gate,
 * SGD in between so that a difference would compound, then steps replayed from a capture.
 */
class FusedGatedSumTest {
    private static final double DROP = 0.3;

    @Test
    void fusedGatedSumsMatchThePerOpPathBitForBitOnReferenceAndCpu() {
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
        Map<String, Integer> fusedCalls = new TreeMap<>();
        Map<String, Integer> perOpCalls = new TreeMap<>();
        Backend fusedBackend = GatedSumTwins.proxy(b, false, fusedCalls);
        Backend perOpBackend = GatedSumTwins.proxy(b, true, perOpCalls);
        try (Network fused = Network.bind(plan, fusedBackend); Network perOp = Network.bind(plan, perOpBackend)) {
            int gates = plan.gates().size();
            int closed = r.nextInt(gates);
            int pruned = (closed + 1 + r.nextInt(gates - 1)) % gates;
            for (Network n : List.of(fused, perOp)) {
                n.initialize(seed, InitScheme.FAN_IN);
                n.gateWeights()[closed] = -0.01;
                n.prune(pruned);
            }
            ParameterTensors pf = ParameterTensors.of(fused);
            ParameterTensors pp = ParameterTensors.of(perOp);
            int dropped = 0;
            for (int step = 0; step < 3; step++) {
                dropped += beginStep(r, batch, g.input().classes(), fused, perOp);
                fused.runStep();
                perOp.runStep();
                assertSame(plan, fused, perOp, b.name() + " step " + step + ", seed " + seed);
                for (Network n : List.of(fused, perOp)) {
                    n.setLearningRate(0.05);
                    (n == fused ? pf : pp).step(n.backend(), 0.9, 3e-4);
                }
            }
            assertTrue(dropped > 0, "drop-path dropped no path in 3 steps, seed " + seed);
            assertEquals(0, fusedCalls.getOrDefault("scaleAddPerSample", 0), "the engine called scaleAddPerSample "
                    + "itself: the gated sums are not fused " + fusedCalls);
            assertEquals(0, fusedCalls.getOrDefault("gateGradient", 0), "the engine called gateGradient itself");
            assertTrue(fusedCalls.getOrDefault("gatedSum", 0) > 0 && fusedCalls.getOrDefault("gatedSumBackward", 0) > 0,
                    "no fused gated sum was called: " + fusedCalls);
            assertTrue(perOpCalls.getOrDefault("scaleAddPerSample", 0) > 0
                    && perOpCalls.getOrDefault("gateGradient", 0) > 0, "the per-op path ran no per-op call: " + perOpCalls);
            // the same steps replayed from captures (the gates do not move, so one capture serves all)
            try (CapturedStep f = fused.backend().capture(() -> {
                fused.runStep();
                pf.step(fused.backend(), 0.9, 3e-4);
            }); CapturedStep p = perOp.backend().capture(() -> {
                perOp.runStep();
                pp.step(perOp.backend(), 0.9, 3e-4);
            })) {
                for (int step = 0; step < 2; step++) {
                    beginStep(r, batch, g.input().classes(), fused, perOp);
                    f.replay();
                    p.replay();
                    assertSame(plan, fused, perOp, b.name() + " replay " + step + ", seed " + seed);
                }
            }
            for (ParamSpec ps : plan.parameters()) {
                assertArrayEquals(b.download(perOp.tensor(ps.value())), b.download(fused.tensor(ps.value())), 0.0,
                        ps.name() + " after 5 steps on " + b.name() + ", seed " + seed);
            }
        }
    }

    /** The same input, labels and drop-path masks on both networks; returns the number of dropped paths. */
    private static int beginStep(Random r, int batch, int classes, Network a, Network b) {
        GatedSumTwins.beginSameStep(r, batch, classes, DROP, a, b);
        int dropped = 0;
        for (double[] f : a.context().pathFactor) {
            for (double v : f) {
                dropped += v == 0 ? 1 : 0;
            }
        }
        return dropped;
    }

    private static void assertSame(ExecutionPlan plan, Network fused, Network perOp, String where) {
        assertEquals(perOp.lossOfLastStep(), fused.lossOfLastStep(), 0.0, "loss, " + where);
        assertArrayEquals(perOp.gateGradients(), fused.gateGradients(), 0.0, "gate gradients, " + where);
        assertArrayEquals(perOp.classifierLogits(), fused.classifierLogits(), 0.0, "logits, " + where);
        Backend b = fused.backend();
        for (ParamSpec p : plan.parameters()) {
            assertArrayEquals(b.download(perOp.tensor(p.grad())), b.download(fused.tensor(p.grad())), 0.0,
                    p.name() + ".grad, " + where);
        }
    }
}
