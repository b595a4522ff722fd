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

    /** Usable on a GPU only: where this JVM loaded the emulated device, that is {@code cuda-emulated}. */
    @Override
    public Availability availability() {
        CudaProbe.Result probe = CudaProbe.result();
        if (probe.emulated()) {
            return Availability.unusable("no NVIDIA GPU here: this JVM runs the emulated CUDA device instead (backend "
                    + EmulatedCudaBackendProvider.NAME + "; -D" + CudaFlavour.PROPERTY + "=gpu insists on a GPU)");
        }
        return probe.availability();
    }

    /** A {@link CudaBackend} on the first supported device, with its own stream and memory pool. */
    @Override
    public Backend open() {
        Availability device = availability();
        if (!device.usable()) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + device.detail());
        }
        return CudaBackend.open();
    }

    /** As {@link #open()}, with the tensors limited to {@code capacityBytes} together (below the device's own memory). */
    @Override
    public Backend open(long capacityBytes) {
        Availability device = availability();
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

    /**
     * Driver and runtime versions, each device, and where the cuBLAS / cuDNN libraries were found;
     * nothing where this JVM runs the emulated device (cuda-emulated reports it).
     */
    @Override
    public List<String> infoLines() {
        return CudaProbe.result().emulated() ? List.of() : CudaEnvironmentReport.onThisMachine();
    }

    /**
     * Whether this build's kernels can run here, on a GPU or on the emulated device, whichever this
     * JVM loaded (library loaded, driver, a device of compute capability 8.0 or newer); when usable,
     * the detail names the device, its memory and compute capability and the CUDA versions. Probed
     * once per JVM; never throws. The CUDA backend's tests run wherever this is usable.
     */
    public static Availability deviceAvailability() {
        return CudaProbe.result().availability();
    }

    /** Every CUDA device the probe found (empty when the library or the driver is missing), for {@code spidernet info}. */
    public static List<CudaDeviceInfo> devices() {
        return CudaProbe.result().devices();
    }
}
