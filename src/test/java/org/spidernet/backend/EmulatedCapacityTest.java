package org.spidernet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

/**
 * A host backend opened with a device capacity refuses a tensor that would take its bytes in use
 * past it with a {@link DeviceOutOfMemoryException} carrying the exact figures, and the refusal
 * changes nothing: bytes in use, live tensors and the peak are as before, and the next tensor
 * that fits is allocated. Sizes and the capacity are drawn fresh each run (the seed is in every
 * message).
 */
class EmulatedCapacityTest {

    private static BackendProvider provider(String name) {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        Availability a = Backends.availability(p);
        assumeTrue(a.usable(), name + " backend unavailable: " + a.detail());
        return p;
    }

    private static int[] randomShape(Random r) {
        return new int[]{1 + r.nextInt(4), 1 + r.nextInt(5), 1 + r.nextInt(9), 1 + r.nextInt(9)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void allocationBeyondTheCapacityThrowsWithTheFiguresAndChangesNothing(String name) {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        BackendProvider p = provider(name);
        int bpe;
        try (Backend probe = p.open()) {
            bpe = probe.bytesPerElement();
        }
        long capacity = bpe * (2000L + r.nextInt(4000)) + r.nextInt(bpe); // not always a whole number of elements
        try (Backend b = p.open(capacity)) {
            List<Tensor> held = new ArrayList<>();
            DeviceOutOfMemoryException oom = null;
            while (oom == null) {
                int[] shape = randomShape(r);
                MemoryStats before = b.memory();
                long bytes = Tensor.elementCount(shape) * bpe;
                if (before.bytesInUse() + bytes <= capacity) {
                    held.add(b.allocate(shape));
                    assertEquals(before.bytesInUse() + bytes, b.memory().bytesInUse(), "seed " + seed);
                    continue;
                }
                oom = assertThrows(DeviceOutOfMemoryException.class, () -> b.allocate(shape), "seed " + seed);
                assertEquals(name, oom.backend());
                assertEquals(bytes, oom.requestedBytes(), "seed " + seed);
                assertEquals(before.bytesInUse(), oom.bytesInUse(), "seed " + seed);
                assertEquals(capacity, oom.capacityBytes(), "seed " + seed);
                assertTrue(oom.getMessage().contains(Long.toString(bytes)) && oom.getMessage().contains(Long.toString(capacity)),
                        oom.getMessage());
                assertEquals(before, b.memory(), "a refused tensor must leave the accounting as it was, seed " + seed);
            }
            // what is left fits exactly (when it is at least one element)
            long left = (capacity - b.memory().bytesInUse()) / bpe;
            if (left > 0) {
                try (Tensor last = b.allocate((int) left)) {
                    assertTrue(b.memory().bytesInUse() <= capacity && b.memory().bytesInUse() > capacity - bpe, "seed " + seed);
                    assertThrows(DeviceOutOfMemoryException.class, () -> b.allocate(1), "full, seed " + seed);
                }
            }
            // freeing makes room again, and the tensors still work
            assertTrue(!held.isEmpty(), "seed " + seed);
            Tensor first = held.remove(0);
            first.close();
            try (Tensor again = b.allocate(first.shape())) {
                double[] values = r.doubles(again.size(), -1, 1).toArray();
                b.upload(again, values);
                double[] back = b.download(again);
                for (int i = 0; i < values.length; i++) {
                    assertEquals(values[i], back[i], 1e-6, "float32 round trip, seed " + seed);
                }
            }
            held.forEach(Tensor::close);
            assertEquals(0, b.memory().liveTensors());
            assertEquals(0, b.memory().bytesInUse());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void aNetworkTooBigForTheDeviceFailsToBindAndLeavesNothingAllocated(String name) {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        BackendProvider p = provider(name);
        Genome g = Genome.initial(new InputSpec(1 + r.nextInt(3), 8, 8, 10), 2 + r.nextInt(3), 1);
        try (Backend b = p.open(1L << 40)) {
            long peak = ExecutionPlan.compile(g, 4, b.bytesPerElement()).memoryPlan().peakBytes();
            // somewhere inside the network: some of its buffers fit, the rest do not
            long capacity = peak / 4 + r.nextInt((int) (peak / 2));
            try (Backend small = p.open(capacity)) {
                ExecutionPlan plan = ExecutionPlan.compile(g, 4, small.bytesPerElement());
                DeviceOutOfMemoryException oom = assertThrows(DeviceOutOfMemoryException.class,
                        () -> Network.bind(plan, small), "seed " + seed);
                assertEquals(capacity, oom.capacityBytes());
                assertTrue(oom.bytesInUse() + oom.requestedBytes() > capacity, "seed " + seed);
                assertEquals(0, small.memory().liveTensors(), "bind must free what it had allocated, seed " + seed);
                assertEquals(0, small.memory().bytesInUse());
            }
            try (Backend exact = p.open(peak); Network net = Network.bind(ExecutionPlan.compile(g, 4, b.bytesPerElement()), exact)) {
                assertEquals(peak, exact.memory().bytesInUse(), "the planned peak is exactly what binding takes, seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void aCapacityMustBePositive(long capacity) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider("reference").open(capacity));
        assertTrue(e.getMessage().contains("capacity"), e.getMessage());
    }

    @Test
    void aProviderThatCannotEmulateACapacitySaysSo() {
        BackendProvider plain = new BackendProvider() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public int rank() {
                return 0;
            }

            @Override
            public Availability availability() {
                return Availability.usable("test");
            }

            @Override
            public Backend open() {
                throw new AssertionError("not called");
            }

            @Override
            public OptionalLong deviceFreeMemoryBytes() {
                return OptionalLong.empty();
            }
        };
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> plain.open(1 << 20));
        assertTrue(e.getMessage().contains("plain backend cannot emulate a device capacity"), e.getMessage());
    }
}
