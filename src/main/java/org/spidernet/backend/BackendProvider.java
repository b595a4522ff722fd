package org.spidernet.backend;

import java.util.List;

/**
 * A plug-in backend, found through {@link java.util.ServiceLoader}. Providers must be cheap to
 * construct: probing native libraries happens in {@link #availability()}, once, and never throws.
 */
public interface BackendProvider {

    /** Short name used on the command line: {@code reference}, {@code cpu}, {@code cuda}. */
    String name();

    /**
     * Higher rank wins when the user asks for {@code auto}; the reference backend (always usable)
     * ranks lowest among those auto may pick, so a negative rank means auto never picks it.
     */
    int rank();

    /** Probes the machine (once; later calls return the cached answer). */
    Availability availability();

    /** Opens a backend instance. Throws {@link BackendUnavailableException} when not usable. */
    Backend open();

    /**
     * Opens a backend whose tensors may hold at most {@code capacityBytes} together: an allocation
     * beyond it throws {@link DeviceOutOfMemoryException} without touching memory, as a device of
     * that size would (see {@link TensorLedger}). On a real device the capacity applies on top of
     * the device's own memory. Throws {@link BackendUnavailableException} when not usable or when
     * the backend cannot emulate a capacity.
     */
    default Backend open(long capacityBytes) {
        throw new BackendUnavailableException(name() + " backend cannot emulate a device capacity");
    }

    /**
     * Further lines {@code spidernet info} prints under this backend (devices, library locations);
     * like {@link #availability()}, never throws.
     */
    default List<String> infoLines() {
        return List.of();
    }

    /**
     * Free memory of the device {@link #open()} would use, as last probed, for the default memory
     * budget of a search; empty for backends that keep tensors in host memory. Never throws.
     */
    default java.util.OptionalLong deviceFreeMemoryBytes() {
        return java.util.OptionalLong.empty();
    }

    /**
     * What a run's default settings are chosen by: whether {@link #open()} computes on a device of
     * its own, and that device's free memory (0 without one). The default reads both from
     * {@link #deviceFreeMemoryBytes()}: only a provider with a real device reports free memory, so
     * {@code cuda-emulated}, whose "device" is fibers on the host's cores, keeps the CPU defaults.
     */
    default Capabilities capabilities() {
        java.util.OptionalLong free = deviceFreeMemoryBytes();
        return new Capabilities(free.isPresent(), free.orElse(0));
    }

    /** See {@link #capabilities()}. */
    record Capabilities(boolean hasDevice, long deviceFreeMemoryBytes) {
    }
}
