package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.cpu.CpuBackend;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Buffer sharing in the {@link MemoryPlan}: the packing is valid (one shape per slot, disjoint
 * lifetimes, nothing pinned or persistent shared), it needs no more slots per shape than the most
 * buffers of that shape live at once, and a network bound with sharing computes bit for bit what
 * the same network computes with a tensor per buffer.
 */
class SharedMemoryTest {

    /** A random genome grown by {@code splits} random edge splits. */
    static Genome randomGrown(Random r, int splits) {
        Genome g = Genome.initial(new InputSpec(2, 7, 6, 3), 2, 1 + r.nextInt(2));
        for (int i = 0; i < splits; i++) {
            int cell = r.nextInt(g.cells().size());
            List<EdgeSplit> c = EdgeSplit.candidates(g, cell);
            g = c.get(r.nextInt(c.size())).applyTo(g);
        }
        return g;
    }

    @Test
    void slotsHoldOneShapeAndBuffersWithDisjointLifetimes() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int trial = 0; trial < 6; trial++) {
            Genome g = randomGrown(r, r.nextInt(6));
            ExecutionPlan plan = ExecutionPlan.compile(g, 1 + r.nextInt(4), 4, r.nextBoolean()
                    ? PlanOptions.TRAINING : PlanOptions.TRAINING.withInputGradient());
            MemoryPlan mp = plan.memoryPlan();
            Map<Integer, List<BufferSpec>> bySlot = new HashMap<>();
            for (BufferSpec b : mp.buffers()) {
                bySlot.computeIfAbsent(mp.slotOf(b.id()), k -> new ArrayList<>()).add(b);
                if (!mp.isTransient(b.id())) {
                    continue;
                }
                assertTrue(b.kind() == BufferKind.ACTIVATION || b.kind() == BufferKind.ACTIVATION_GRADIENT,
                        b + " must not share, seed " + seed);
            }
            Set<Integer> pinned = new java.util.HashSet<>(List.of(plan.input, plan.inputGrad));
            plan.heads.forEach(h -> {
                pinned.add(h.logits());
                pinned.add(h.logitsGrad());
            });
            long slotBytes = 0;
            for (var e : bySlot.entrySet()) {
                List<BufferSpec> in = e.getValue();
                slotBytes += in.get(0).bytes(4);
                for (int i = 0; i < in.size(); i++) {
                    BufferSpec a = in.get(i);
                    assertArrayEquals(mp.slotShape(e.getKey()), a.shape(), a + " in a slot of another shape");
                    if (in.size() > 1) {
                        assertTrue(mp.isTransient(a.id()) && !pinned.contains(a.id()), a + " shares a slot, seed " + seed);
                    }
                    for (int j = i + 1; j < in.size(); j++) {
                        BufferSpec b = in.get(j);
                        assertTrue(a.lastUse() < b.firstUse() || b.lastUse() < a.firstUse(),
                                a + " and " + b + " overlap in one slot, seed " + seed);
                    }
                }
            }
            assertEquals(mp.peakBytes(), slotBytes);
            assertTrue(mp.livenessPeakBytes() <= mp.peakBytes() && mp.peakBytes() < mp.unsharedBytes(),
                    "liveness " + mp.livenessPeakBytes() + " <= shared " + mp.peakBytes() + " < unshared "
                            + mp.unsharedBytes());
        }
    }

    @Test
    void eachShapeGetsAsManySlotsAsItsMostBuffersLiveAtOneStep() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int trial = 0; trial < 6; trial++) {
            MemoryPlan mp = ExecutionPlan.compile(randomGrown(r, r.nextInt(8)), 2, 4).memoryPlan();
            Map<String, int[]> live = new HashMap<>();
            Map<String, Set<Integer>> slots = new HashMap<>();
            for (BufferSpec b : mp.buffers()) {
                if (!mp.isTransient(b.id())) {
                    continue;
                }
                String shape = Arrays.toString(b.shape());
                int[] count = live.computeIfAbsent(shape, k -> new int[mp.steps()]);
                for (int s = b.firstUse(); s <= b.lastUse(); s++) {
                    count[s]++;
                }
                slots.computeIfAbsent(shape, k -> new java.util.HashSet<>()).add(mp.slotOf(b.id()));
            }
            for (String shape : live.keySet()) {
                int most = Arrays.stream(live.get(shape)).max().orElseThrow();
                assertEquals(most, slots.get(shape).size(), "slots for shape " + shape + ", seed " + seed);
            }
        }
    }

    @Test
    void sharedNetworkMatchesUnsharedBitForBitOnReferenceAndCpu() {
        long seed = System.nanoTime();
        try (ReferenceBackend ref = new ReferenceBackend(); CpuBackend cpu = new CpuBackend(2)) {
            for (Backend b : List.of(ref, cpu)) {
                Random r = new Random(seed);
                Genome g = randomGrown(r, 2 + r.nextInt(4));
                int batch = 2 + r.nextInt(3);
                ExecutionPlan shared = ExecutionPlan.compile(g, batch, b.bytesPerElement());
                ExecutionPlan alone = ExecutionPlan.compile(g, batch, b.bytesPerElement(),
                        PlanOptions.TRAINING.withoutMemorySharing());
                try (Network a = Network.bind(shared, b); Network u = Network.bind(alone, b)) {
                    List<Network> nets = List.of(a, u);
                    for (Network n : nets) {
                        n.initialize(seed, InitScheme.FAN_IN);
                    }
                    // a closed gate and a pruned one, so skipped layers leave foreign data behind
                    int closed = r.nextInt(shared.gates().size());
                    int pruned = (closed + 1 + r.nextInt(shared.gates().size() - 1)) % shared.gates().size();
                    for (Network n : nets) {
                        n.gateWeights()[closed] = -0.01;
                        n.prune(pruned);
                    }
                    for (int step = 0; step < 2; step++) {
                        float[] x = new float[batch * 2 * 7 * 6];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) r.nextGaussian();
                        }
                        int[] labels = new int[batch];
                        for (int i = 0; i < batch; i++) {
                            labels[i] = r.nextInt(3);
                        }
                        long dropSeed = r.nextLong();
                        double[] loss = new double[2];
                        for (int k = 0; k < 2; k++) {
                            nets.get(k).forward(x, true, 0.3, new Random(dropSeed));
                            loss[k] = nets.get(k).backward(labels);
                        }
                        String where = b.name() + " step " + step + ", seed " + seed;
                        assertEquals(loss[1], loss[0], 0.0, "loss, " + where);
                        assertArrayEquals(u.gateGradients(), a.gateGradients(), 0.0, "gate gradients, " + where);
                        assertArrayEquals(u.classifierLogits(), a.classifierLogits(), 0.0, "logits, " + where);
                        for (ParamSpec p : shared.parameters()) {
                            assertArrayEquals(b.download(u.tensor(p.grad())), b.download(a.tensor(p.grad())), 0.0,
                                    p.name() + ".grad, " + where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSharedNetworkRefusesToBackPropagateOneForwardPassTwice() {
        Genome g = Genome.initial(new InputSpec(1, 5, 5, 2), 2, 0);
        Random r = new Random(System.nanoTime());
        float[] x = new float[2 * 25];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (ReferenceBackend b = new ReferenceBackend()) {
            try (Network net = Network.bind(ExecutionPlan.compile(g, 2, 8), b)) {
                net.initialize(1, InitScheme.FAN_IN);
                net.forward(x, true, 0, null);
                net.backward(new int[]{0, 1});
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.backward(new int[]{0, 1}));
                assertTrue(e.getMessage().contains("withoutMemorySharing"), e.getMessage());
                assertThrows(IllegalStateException.class, net::reluInputs);
                net.forward(x, true, 0, null);
                assertFalse(net.reluInputs().isEmpty());
                net.backwardFromLogits(new double[4]);
            }
            ExecutionPlan alone = ExecutionPlan.compile(g, 2, 8, PlanOptions.TRAINING.withoutMemorySharing());
            try (Network net = Network.bind(alone, b)) {
                net.initialize(1, InitScheme.FAN_IN);
                net.forward(x, true, 0, null);
                double first = net.backward(new int[]{0, 1});
                assertEquals(first, net.backward(new int[]{0, 1}), 0.0, "an unshared network back-propagates again");
            }
        }
    }
}
