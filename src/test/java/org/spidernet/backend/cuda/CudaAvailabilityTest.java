package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.BackendUnavailableException;
import org.spidernet.backend.Backends;

/** Runs on every machine: with or without nvcc at build time, with or without a driver and a GPU. */
class CudaAvailabilityTest {

    private final CudaBackendProvider provider = new CudaBackendProvider();

    private static void assertOneLineReason(Availability availability) {
        assertNotNull(availability);
        assertNotNull(availability.detail());
        assertFalse(availability.detail().isBlank(), "empty reason");
        assertFalse(availability.detail().contains("\n"), "reason spans lines: " + availability.detail());
    }

    @Test
    void availabilityIsOneCachedLine() {
        Availability first = provider.availability();
        assertOneLineReason(first);
        assertEquals(first, provider.availability());
        assertOneLineReason(CudaBackendProvider.deviceAvailability());
        assertSame(CudaProbe.result(), CudaProbe.result(), "the probe runs once");
        System.out.println("cuda availability: " + first.detail());
    }

    @Test
    void theBackendIsOfferedExactlyWhenTheDeviceIsUsable() {
        Availability device = CudaBackendProvider.deviceAvailability();
        assertEquals(device, provider.availability(), "the provider answers with the device probe's reason");
        if (device.usable()) {
            try (org.spidernet.backend.Backend backend = provider.open()) {
                assertEquals("cuda", backend.name());
                assertEquals(Float.BYTES, backend.bytesPerElement());
            }
        } else {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, provider::open);
            assertEquals("CUDA backend unavailable: " + device.detail(), e.getMessage());
        }
    }

    @Test
    void foundThroughServiceLoaderAndResolvedWithItsReason() {
        List<BackendProvider> cuda = Backends.providers().stream().filter(p -> p.name().equals("cuda")).toList();
        assertEquals(1, cuda.size(), "exactly one provider named cuda");
        assertTrue(cuda.get(0) instanceof CudaBackendProvider);
        assertEquals(100, cuda.get(0).rank());
        if (provider.availability().usable()) {
            assertSame(CudaBackendProvider.class, Backends.resolve("cuda").getClass());
            assertEquals("cuda", Backends.resolve("auto").name(), "auto picks the usable CUDA backend first");
        } else {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.resolve("cuda"));
            assertEquals("cuda backend unavailable: " + provider.availability().detail(), e.getMessage());
            assertFalse(Backends.resolve("auto").name().equals("cuda"), "auto must fall back without a device");
        }
    }

    @Test
    void devicesMatchTheDeviceAvailability() {
        List<CudaDeviceInfo> devices = CudaBackendProvider.devices();
        assertNotNull(devices);
        Availability device = CudaBackendProvider.deviceAvailability();
        if (device.usable()) {
            CudaDeviceInfo first = devices.stream().filter(CudaDeviceInfo::supported).findFirst().orElseThrow();
            assertTrue(device.detail().contains(first.describe()), device.detail());
            assertTrue(first.totalMemoryBytes() > 0 && first.multiprocessors() > 0, first.toString());
        } else {
            assertTrue(devices.stream().noneMatch(CudaDeviceInfo::supported), devices.toString());
        }
    }

    /** Where nvcc built the libraries, the JNI glue loads and calls into them even without a driver. */
    @Test
    void aBuiltLibraryLoadsWithoutAGpu() {
        String record = CudaProbe.buildRecord();
        assumeTrue(record != null && record.startsWith("built:"), "native library not built here: " + record);
        String reason = CudaBackendProvider.deviceAvailability().detail();
        assertFalse(reason.startsWith("native library"), reason);
        int[] version = new int[1];
        assertEquals(0, CudaNative.runtimeVersion(version));
        assertTrue(version[0] >= 12000, "runtime version " + version[0]);
        assertTrue(CudaNative.statusString(100).startsWith("cudaErrorNoDevice"), CudaNative.statusString(100));
        assertTrue(CudaNative.statusString(-1).startsWith("invalid argument"), CudaNative.statusString(-1));
        assertEquals(0, CudaNative.dotPerSampleWorkspaceBytes(0, 10));
        // 3 samples of 100_003 elements: 49 blocks of 2048 elements per sample, one double each
        assertEquals(3L * 49 * Double.BYTES, CudaNative.dotPerSampleWorkspaceBytes(3, 100_003));
    }

    @Test
    void withoutABuildTheReasonSaysSo() {
        String record = CudaProbe.buildRecord();
        assumeTrue(record == null || record.startsWith("not built:"), "native library was built here: " + record);
        assertTrue(CudaBackendProvider.deviceAvailability().detail().startsWith("native library"),
                CudaBackendProvider.deviceAvailability().detail());
        assertTrue(CudaBackendProvider.devices().isEmpty());
    }
}
