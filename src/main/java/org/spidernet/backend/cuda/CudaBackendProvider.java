package org.spidernet.backend.cuda;

import java.util.List;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.BackendUnavailableException;

/**
 * The CUDA backend's plug-in entry (ServiceLoader). So far only the foundation exists: the device
 * query, the memory pool and the gated-accumulate and ReLU kernels; the training ops come with
 * issue #4.
 *
 * <p>Until then {@link #availability()} reports the backend as unusable even on a GPU host, with
 * the device found in the reason: {@code auto} picks the highest-ranked usable backend and then
 * opens it, so a "usable" answer here would make {@code auto} fail on every GPU machine instead of
 * falling back to the CPU backend. {@link #deviceAvailability()} answers the narrower question
 * whether the kernels can run.
 */
public final class CudaBackendProvider implements BackendProvider {

    static final String NOT_IMPLEMENTED = "the training ops are not implemented yet (issue #4); "
            + "the device query and the gated-accumulate kernels are";

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
        Availability device = deviceAvailability();
        if (!device.usable()) {
            return device;
        }
        return Availability.unusable("training ops not implemented yet (issue #4); device ready: " + device.detail());
    }

    @Override
    public Backend open() {
        Availability device = deviceAvailability();
        if (!device.usable()) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + device.detail());
        }
        throw new BackendUnavailableException("CUDA backend: " + NOT_IMPLEMENTED);
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
