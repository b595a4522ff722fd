package org.spidernet.backend.cuda;

import java.util.List;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.BackendUnavailableException;

/**
 * The CUDA backend's plug-in entry (ServiceLoader). Usable exactly when the device probe is: the
 * native libraries load, the NVIDIA driver is present and new enough, and a device of compute
 * capability 8.0 or newer exists. Otherwise {@link #availability()} gives the probe's precise
 * reason and {@code auto} falls back to the next backend. Ranked above the CPU backends.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public Availability availability() {
        return deviceAvailability();
    }

    /** A {@link CudaBackend} on the first supported device, with its own stream and memory pool. */
    @Override
    public Backend open() {
        Availability device = deviceAvailability();
        if (!device.usable()) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + device.detail());
        }
        return CudaBackend.open();
    }

    /** As {@link #open()}, with the tensors limited to {@code capacityBytes} together (below the device's own memory). */
    @Override
    public Backend open(long capacityBytes) {
        Availability device = deviceAvailability();
        if (!device.usable()) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + device.detail());
        }
        return CudaBackend.open(capacityBytes);
    }

    /** The first supported device's free memory at probe time (the device {@link #open()} picks). */
    @Override
    public java.util.OptionalLong deviceFreeMemoryBytes() {
        if (!deviceAvailability().usable()) {
            return java.util.OptionalLong.empty();
        }
        return devices().stream().filter(CudaDeviceInfo::supported)
                .mapToLong(CudaDeviceInfo::freeMemoryBytes).findFirst();
    }

    /** Driver and runtime versions, each device, and where the cuBLAS / cuDNN libraries were found. */
    @Override
    public List<String> infoLines() {
        return CudaEnvironmentReport.onThisMachine();
    }

    /**
     * Whether this build's kernels can run here (library loaded, driver, a device of compute
     * capability 8.0 or newer); when usable, the detail names the device, its memory and compute
     * capability and the CUDA versions. Probed once per JVM; never throws.
     */
    public static Availability deviceAvailability() {
        return CudaProbe.result().availability();
    }

    /** Every CUDA device the probe found (empty when the library or the driver is missing), for {@code spidernet info}. */
    public static List<CudaDeviceInfo> devices() {
        return CudaProbe.result().devices();
    }
}
