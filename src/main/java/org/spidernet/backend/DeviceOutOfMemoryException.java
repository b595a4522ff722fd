package org.spidernet.backend;

import java.util.Locale;

/**
 * The device cannot hold a tensor: what {@link Backend#allocate} throws when the memory it would
 * take is not there (a CUDA pool reporting {@code cudaErrorMemoryAllocation}, or an emulated
 * capacity of a host backend, see {@link TensorLedger}). Nothing was allocated and the backend's
 * accounting is unchanged, so a caller may free what it holds and go on; the search does exactly
 * that (a candidate that cannot be scored is rejected, a grown network that cannot be trained is
 * rolled back).
 *
 * <p>Figures that the backend does not know are {@link #UNKNOWN}.
 */
public final class DeviceOutOfMemoryException extends RuntimeException {
    /** A figure the backend could not tell. */
    public static final long UNKNOWN = -1;

    private final String backend;
    private final long requestedBytes;
    private final long bytesInUse;
    private final long capacityBytes;

    /**
     * @param backend        the backend's name ({@code cuda}, {@code cpu}, {@code reference})
     * @param requestedBytes bytes the failed allocation asked for
     * @param bytesInUse     bytes the backend held when it failed, or {@link #UNKNOWN}
     * @param capacityBytes  bytes the backend may hold in all (an emulated capacity exactly, on a
     *                       device an estimate), or {@link #UNKNOWN}
     * @param detail         what reported the failure (a CUDA error string, "emulated capacity"), may be empty
     */
    public DeviceOutOfMemoryException(String backend, long requestedBytes, long bytesInUse, long capacityBytes,
                                      String detail) {
        super(message(backend, requestedBytes, bytesInUse, capacityBytes, detail));
        this.backend = backend;
        this.requestedBytes = requestedBytes;
        this.bytesInUse = bytesInUse;
        this.capacityBytes = capacityBytes;
    }

    private static String message(String backend, long requested, long inUse, long capacity, String detail) {
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT, "%s out of device memory: cannot allocate %d B",
                backend, requested));
        if (inUse != UNKNOWN) {
            m.append(String.format(Locale.ROOT, " with %d B in use", inUse));
        }
        if (capacity != UNKNOWN) {
            m.append(String.format(Locale.ROOT, " of a %d B capacity", capacity));
        }
        if (detail != null && !detail.isEmpty()) {
            m.append(" (").append(detail).append(')');
        }
        return m.toString();
    }

    public String backend() {
        return backend;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    /** Bytes held when the allocation failed, or {@link #UNKNOWN}. */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes the backend may hold in all, or {@link #UNKNOWN}. */
    public long capacityBytes() {
        return capacityBytes;
    }

    /** {@code t} or the first of its causes that is a device out-of-memory, or null. */
    public static DeviceOutOfMemoryException in(Throwable t) {
        // bounded, so a cause chain that loops back on itself cannot hang the caller
        Throwable c = t;
        for (int depth = 0; c != null && depth < 64; depth++, c = c.getCause()) {
            if (c instanceof DeviceOutOfMemoryException oom) {
                return oom;
            }
        }
        return null;
    }
}
