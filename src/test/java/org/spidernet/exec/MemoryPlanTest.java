package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryPlanTest {

    @Test
    void plannedPeakEqualsWhatTheBackendAllocatedAndHeldThroughAStep() {
        Genome genome = NetworkGradientTest.smallGrownGenome();
        try (ReferenceBackend b = new ReferenceBackend()) {
            ExecutionPlan plan = ExecutionPlan.compile(genome, 4, b.bytesPerElement());
            MemoryPlan mp = plan.memoryPlan();
            long before = b.memory().bytesInUse();
            try (Network net = Network.bind(plan, b)) {
                MemoryStats m = b.memory();
                assertEquals(mp.peakBytes(), m.bytesInUse() - before);
                assertEquals(mp.slotCount(), m.liveTensors());
                assertTrue(mp.slotCount() < mp.buffers().size(), "training plans share tensors");
                net.initialize(1, InitScheme.FAN_IN);
                b.resetPeak();
                float[] x = new float[4 * 2 * 7 * 6];
                java.util.Arrays.fill(x, 0.5f);
                net.forward(x, true, 0.2, new Random(3));
                net.backward(new int[]{0, 1, 2, 0});
                assertEquals(mp.peakBytes(), b.memory().peakBytes() - before, "a step must not allocate");
            }
            assertEquals(before, b.memory().bytesInUse(), "closing the network frees everything");
        }
    }

    @Test
    void planAccountsEveryKindAndScalesWithBatch() {
        Genome genome = Genome.initial(InputSpec.FASHION_MNIST, 8, 2);
        MemoryPlan p32 = ExecutionPlan.compile(genome, 32, 4).memoryPlan();
        MemoryPlan p64 = ExecutionPlan.compile(genome, 64, 4).memoryPlan();
        Map<BufferKind, Long> k32 = p32.bytesByKind();
        Map<BufferKind, Long> k64 = p64.bytesByKind();
        for (BufferKind k : BufferKind.values()) {
            assertTrue(k32.get(k) > 0, k + " missing from the plan");
        }
        // parameters, gradients and optimiser state do not depend on the batch; activations double
        assertEquals(k32.get(BufferKind.PARAMETER), k64.get(BufferKind.PARAMETER));
        assertEquals(k32.get(BufferKind.PARAMETER), k32.get(BufferKind.GRADIENT));
        assertEquals(k32.get(BufferKind.PARAMETER), k32.get(BufferKind.OPTIMIZER_STATE));
        assertEquals(2 * k32.get(BufferKind.ACTIVATION), k64.get(BufferKind.ACTIVATION));
        assertEquals(2 * k32.get(BufferKind.INPUT), k64.get(BufferKind.INPUT));
        long sum = k64.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(p64.unsharedBytes(), sum);
        assertTrue(p64.livenessPeakBytes() <= p64.peakBytes());
        assertTrue(p64.peakBytes() < p64.unsharedBytes());
        MemoryPlan alone = ExecutionPlan.compile(genome, 64, 4, PlanOptions.TRAINING.withoutMemorySharing()).memoryPlan();
        assertEquals(sum, alone.peakBytes(), "without sharing every buffer is a tensor of its own");
        assertEquals(alone.buffers().size(), alone.slotCount());
        assertTrue(p64.livenessPeakBytes() > k64.get(BufferKind.PARAMETER));
    }

    @Test
    void parameterCountMatchesAHandCount() {
        // R = 0, C = 2, one input channel, 2 classes: stem conv 1*2*9 + stem BN 4;
        // cell 0 input node BN 4; two edges each with: sep3 (2*9 + 4 + 4 + 2*9 + 4 + 4 = 52),
        // sep5 (2*25 + 4 + 4 + 2*25 + 4 + 4 = 116), dil3 (2*9 + 4 + 4 = 26), dil5 (2*25 + 4 + 4 = 58);
        // nodes 1 and 2 BN 4 each; head 2*2 + 2.
        Genome g = Genome.initial(new InputSpec(1, 6, 6, 2), 2, 0);
        long perEdge = 52 + 116 + 26 + 58;
        long expected = 18 + 4 + 4 + 2 * perEdge + 4 + 4 + 6;
        assertEquals(expected, ExecutionPlan.compile(g, 2, 8).parameterCount());
        assertEquals(14, ExecutionPlan.compile(g, 2, 8).gates().size());
    }
}
