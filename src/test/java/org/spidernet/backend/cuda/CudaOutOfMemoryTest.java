package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.Tensor;

/**
 * A CUDA device running out of memory, for real: allocating 4 GiB tensors until the pool fails
 * gives a {@link DeviceOutOfMemoryException} (not a {@link CudaException}), leaves the tensor
 * accounting unchanged, and the backend carries on: after freeing, a kernel runs and its result is
 * right (the failed allocation must not linger as the runtime's last error, which the kernel
 * launches check). Skipped, with the probe's reason, where no usable CUDA device exists.
 */
class CudaOutOfMemoryTest {

    @BeforeEach
    void needsADevice() {
        Availability device = CudaBackendProvider.deviceAvailability();
        assumeTrue(device.usable(), "CUDA backend unavailable: " + device.detail());
    }

    private static void reluStillWorks(CudaBackend b, long seed) {
        Random r = new Random(seed);
        try (Tensor x = b.allocate(3, 5, 7, 11); Tensor y = b.allocate(3, 5, 7, 11)) {
            double[] in = new double[(int) x.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = (float) (r.nextGaussian() + 0.1);
            }
            b.upload(x, in);
            b.relu(x, y);
            double[] out = b.download(y);
            for (int i = 0; i < in.length; i++) {
                assertEquals(Math.max(in[i], 0), out[i], 0.0, "relu after an out-of-memory, seed " + seed);
            }
        }
    }

    @Test
    void exhaustingTheDeviceThrowsTheTypedExceptionAndTheBackendCarriesOn() {
        long seed = System.nanoTime();
        int elements = 1 << 30; // 4 GiB of float32
        try (CudaBackend b = CudaBackend.open()) {
            List<Tensor> held = new ArrayList<>();
            DeviceOutOfMemoryException oom = null;
            for (int i = 0; i < 128 && oom == null; i++) {
                MemoryStats before = b.memory();
                try {
                    held.add(b.allocate(elements));
                } catch (DeviceOutOfMemoryException e) {
                    oom = e;
                    assertEquals(before, b.memory(), "a failed allocation must leave the accounting as it was");
                }
            }
            assertNotNull(oom, "128 tensors of 4 GiB did not exhaust the device");
            assertEquals("cuda", oom.backend());
            assertEquals(4L << 30, oom.requestedBytes());
            if (oom.bytesInUse() != DeviceOutOfMemoryException.UNKNOWN) {
                assertTrue(oom.bytesInUse() >= b.memory().bytesInUse(), "the pool holds at least the tensors: " + oom.getMessage());
                assertTrue(oom.capacityBytes() >= oom.bytesInUse(), oom.getMessage());
            }
            held.remove(held.size() - 1).close();
            reluStillWorks(b, seed);
            held.forEach(Tensor::close);
            reluStillWorks(b, seed + 1);
            assertEquals(0, b.memory().liveTensors());
        }
    }

    @Test
    void anEmulatedCapacityAppliesOnTheDeviceToo() {
        long capacity = (1L << 20) + new Random(System.nanoTime()).nextInt(1 << 20);
        try (CudaBackend b = CudaBackend.open(capacity)) {
            try (Tensor fits = b.allocate(1 << 18)) { // 1 MiB
                DeviceOutOfMemoryException oom = assertThrows(DeviceOutOfMemoryException.class, () -> b.allocate(1 << 18));
                assertEquals(capacity, oom.capacityBytes());
                assertEquals(1L << 20, oom.bytesInUse());
                assertEquals(1L << 20, b.memory().bytesInUse());
            }
            reluStillWorks(b, capacity);
        }
    }
}
