package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.Tensor;

/** Allocation accounting and tensor lifetime rules of the reference backend. */
class ReferenceMemoryTest {

    @Test
    void bytesPeakAndLiveCountFollowAllocateAndClose() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            assertEquals(8, backend.bytesPerElement());
            assertEquals(new MemoryStats(0, 0, 0), backend.memory());
            Tensor a = backend.allocate(2, 3, 5); // 30 doubles
            assertEquals(new MemoryStats(240, 240, 1), backend.memory());
            Tensor b = backend.allocate(4);
            assertEquals(new MemoryStats(272, 272, 2), backend.memory());
            a.close();
            assertEquals(new MemoryStats(32, 272, 1), backend.memory());
            a.close(); // idempotent: nothing is released twice
            assertEquals(new MemoryStats(32, 272, 1), backend.memory());
            backend.resetPeak();
            assertEquals(new MemoryStats(32, 32, 1), backend.memory());
            Tensor empty = backend.allocate(0, 7); // zero-size tensors are legal and cost nothing
            assertEquals(new MemoryStats(32, 32, 2), backend.memory());
            empty.close();
            b.close();
            assertEquals(new MemoryStats(0, 32, 0), backend.memory());
        }
    }

    @Test
    void closedTensorCannotBeUsed() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            Tensor t = backend.allocate(3);
            t.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.download(t));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> backend.fill(t, 1));
        }
    }

    @Test
    void tensorFromAnotherBackendIsRejected() {
        try (ReferenceBackend mine = new ReferenceBackend(); ReferenceBackend other = new ReferenceBackend()) {
            Tensor foreign = other.allocate(2);
            Tensor own = mine.allocate(2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mine.copy(foreign, own));
            assertTrue(e.getMessage().contains("another backend"), e.getMessage());
        }
    }

    @Test
    void closingTheBackendReleasesEverything() {
        ReferenceBackend backend = new ReferenceBackend();
        Tensor t = backend.allocate(10);
        backend.allocate(5);
        backend.close();
        assertEquals(0, backend.memory().bytesInUse());
        assertEquals(0, backend.memory().liveTensors());
        assertThrows(IllegalStateException.class, () -> backend.download(t));
        assertThrows(IllegalStateException.class, () -> backend.allocate(1));
        t.close(); // closing a tensor of a closed backend is harmless
        backend.close(); // and so is closing the backend twice
        assertEquals(0, backend.memory().bytesInUse());
    }

    @Test
    void negativeDimensionIsRejected() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.allocate(2, -1));
            assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
        }
    }
}
