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

    /** cuda runs on a GPU only; cuda-emulated on the emulated device only; each says why not otherwise. */
    @Test
    void theBackendIsOfferedExactlyWhenTheDeviceIsUsable() {
        Availability device = CudaBackendProvider.deviceAvailability();
        boolean emulated = CudaProbe.result().emulated();
        BackendProvider emulator = new EmulatedCudaBackendProvider();
        BackendProvider onDevice = emulated ? emulator : provider;
        BackendProvider other = emulated ? provider : emulator;
        assertEquals(device, onDevice.availability(), "the loaded flavour's provider answers with the probe's reason");
        assertFalse(other.availability().usable(), "only one flavour runs in a JVM: " + other.availability().detail());
        assertOneLineReason(other.availability());
        if (device.usable()) {
            try (org.spidernet.backend.Backend backend = onDevice.open()) {
                assertEquals(emulated ? "cuda-emulated" : "cuda", backend.name());
                assertEquals(Float.BYTES, backend.bytesPerElement());
            }
            assertThrows(BackendUnavailableException.class, other::open);
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
        List<BackendProvider> emulated = Backends.providers().stream()
                .filter(p -> p.name().equals(EmulatedCudaBackendProvider.NAME)).toList();
        assertEquals(1, emulated.size(), "exactly one provider named cuda-emulated");
        assertTrue(emulated.get(0).rank() < 0, "ranked below every real backend, so auto never picks it");
        assertFalse(Backends.resolve("auto").name().equals(EmulatedCudaBackendProvider.NAME), "auto skips the emulator");
        if (provider.availability().usable()) {
            assertSame(CudaBackendProvider.class, Backends.resolve("cuda").getClass());
            assertEquals("cuda", Backends.resolve("auto").name(), "auto picks the usable CUDA backend first");
        } else {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.resolve("cuda"));
            assertEquals("cuda backend unavailable: " + provider.availability().detail(), e.getMessage());
            assertFalse(Backends.resolve("auto").name().equals("cuda"), "auto must fall back without a device");
        }
        if (emulated.get(0).availability().usable()) {
            assertSame(EmulatedCudaBackendProvider.class, Backends.resolve(EmulatedCudaBackendProvider.NAME).getClass());
        }
    }

    /** The flavour rules: a GPU where a driver is, else the emulated device; an explicit choice is kept. */
    @Test
    void theFlavourFollowsThePropertyAndTheMachine() {
        assertEquals(CudaFlavour.GPU, CudaFlavour.choose("auto", true, true, true).flavour());
        assertEquals(CudaFlavour.EMULATED, CudaFlavour.choose("auto", false, true, true).flavour());
        assertEquals(CudaFlavour.EMULATED, CudaFlavour.choose("auto", true, false, true).flavour());
        assertEquals(CudaFlavour.GPU, CudaFlavour.choose("auto", false, true, false).flavour(),
                "without an emulated build the GPU library loads, and the probe then names the missing driver");
        assertEquals(CudaFlavour.EMULATED, CudaFlavour.choose("Emulated", true, true, true).flavour());
        assertEquals(CudaFlavour.GPU, CudaFlavour.choose("gpu", false, true, true).flavour());
        CudaFlavour.Choice none = CudaFlavour.choose("gpu", true, false, true);
        assertEquals(null, none.flavour());
        assertTrue(none.reason().contains("GPU library was not built"), none.reason());
        CudaFlavour.Choice bad = CudaFlavour.choose("tpu", true, true, true);
        assertEquals(null, bad.flavour());
        assertEquals(CudaFlavour.PROPERTY + " must be auto, gpu or emulated, not 'tpu'", bad.reason());
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
