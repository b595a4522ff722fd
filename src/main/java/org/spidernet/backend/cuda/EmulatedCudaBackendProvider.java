package org.spidernet.backend.cuda;

import java.util.List;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.BackendUnavailableException;

/**
 * The CUDA backend on the emulated device ({@code native/emulator}): the same Java backend, C API
 * and kernel sources as {@code cuda}, with every GPU thread run as a CPU fiber and the emulator's
 * detectors (races, barriers, warp masks, guard bytes) checking each launch. It proves the CUDA
 * half correct on machines without a GPU; it is far slower than the {@code cpu} backend, so
 * {@code auto} never picks it (lowest rank). Usable where this JVM loaded the emulated library
 * (see {@link CudaFlavour}).
 */
public final class EmulatedCudaBackendProvider implements BackendProvider {

    public static final String NAME = "cuda-emulated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return -100;
    }

    @Override
    public Availability availability() {
        CudaProbe.Result probe = CudaProbe.result();
        if (probe.emulated() || !probe.availability().usable()) {
            return probe.availability();
        }
        return Availability.unusable("this JVM loaded the GPU library; -D" + CudaFlavour.PROPERTY
                + "=emulated runs the emulated device instead");
    }

    @Override
    public Backend open() {
        requireUsable();
        return CudaBackend.open();
    }

    /** As {@link #open()} on an emulated device of {@code capacityBytes} (its memory pool refuses beyond that). */
    @Override
    public Backend open(long capacityBytes) {
        requireUsable();
        return CudaBackend.open(capacityBytes);
    }

    /** The emulated device and its settings, where this JVM runs it; nothing otherwise (cuda reports the GPU). */
    @Override
    public List<String> infoLines() {
        return CudaProbe.result().emulated() ? CudaEnvironmentReport.onThisMachine() : List.of();
    }

    private void requireUsable() {
        Availability device = availability();
        if (!device.usable()) {
            throw new BackendUnavailableException("emulated CUDA device unavailable: " + device.detail());
        }
    }
}
