package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.DeviceOutOfMemoryException;

/**
 * How a failed {@code snc_alloc} becomes a Java exception, without a device: the out-of-memory
 * status is the typed {@link DeviceOutOfMemoryException} with the figures, every other status a
 * {@link CudaException} naming the call; and the Java constant is the one the C header declares
 * (the header's value is checked against {@code cuda_runtime.h} when nvcc compiles the library).
 */
class CudaStatusTest {

    @Test
    void theOutOfMemoryStatusBecomesTheTypedExceptionWithItsFigures() {
        Random r = new Random(System.nanoTime());
        long bytes = 1 + (r.nextLong() >>> 20);
        long inUse = r.nextLong() >>> 22;
        long capacity = inUse + (r.nextLong() >>> 24);
        RuntimeException e = CudaStatus.allocationFailure(CudaStatus.MEMORY_ALLOCATION,
                "cudaErrorMemoryAllocation: out of memory", bytes, inUse, capacity);
        DeviceOutOfMemoryException oom = assertInstanceOf(DeviceOutOfMemoryException.class, e);
        assertEquals("cuda", oom.backend());
        assertEquals(bytes, oom.requestedBytes());
        assertEquals(inUse, oom.bytesInUse());
        assertEquals(capacity, oom.capacityBytes());
        assertTrue(oom.getMessage().contains(bytes + " B") && oom.getMessage().contains("cudaErrorMemoryAllocation"),
                oom.getMessage());

        DeviceOutOfMemoryException unknown = assertInstanceOf(DeviceOutOfMemoryException.class,
                CudaStatus.allocationFailure(CudaStatus.MEMORY_ALLOCATION, "out of memory", bytes,
                        DeviceOutOfMemoryException.UNKNOWN, DeviceOutOfMemoryException.UNKNOWN));
        assertEquals(DeviceOutOfMemoryException.UNKNOWN, unknown.capacityBytes());
        assertTrue(!unknown.getMessage().contains("capacity"), unknown.getMessage());
    }

    @Test
    void everyOtherStatusStaysACudaExceptionNamingTheCall() {
        for (int status : new int[]{1, 3, 700, -1, -3}) {
            RuntimeException e = CudaStatus.allocationFailure(status, "some error", 4096, 0, 0);
            CudaException c = assertInstanceOf(CudaException.class, e, "status " + status);
            assertEquals(status, c.status());
            assertTrue(c.getMessage().startsWith("snc_alloc(4096 bytes) failed: some error"), c.getMessage());
        }
    }

    @Test
    void theJavaConstantIsTheOneTheHeaderDeclares() throws IOException {
        Path header = Path.of("native", "spidernet_cuda.h");
        assumeTrue(Files.isRegularFile(header), "native/spidernet_cuda.h not found: not run from a source checkout");
        Matcher m = Pattern.compile("#define\\s+SNC_CUDA_ERROR_MEMORY_ALLOCATION\\s+(\\d+)").matcher(Files.readString(header));
        assertTrue(m.find(), "SNC_CUDA_ERROR_MEMORY_ALLOCATION missing from " + header);
        assertEquals(CudaStatus.MEMORY_ALLOCATION, Integer.parseInt(m.group(1)));
    }
}
