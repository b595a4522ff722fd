package org.spidernet.search;

import org.spidernet.backend.DeviceOutOfMemoryException;

/**
 * The device ran out of memory while training a search network: a typed failure the strategy
 * answers by undoing the growth that made the network ({@link SearchContext#rollBack}). The
 * network is closed by then, so everything it had allocated is free again.
 *
 * @see SearchContext#train
 */
public final class NetworkOutOfMemory extends Exception {
    private final long plannedPeakBytes;
    private final long bytesHeldOutside;

    NetworkOutOfMemory(long plannedPeakBytes, long bytesHeldOutside, DeviceOutOfMemoryException cause) {
        super(cause.getMessage(), cause);
        this.plannedPeakBytes = plannedPeakBytes;
        this.bytesHeldOutside = bytesHeldOutside;
    }

    /** The network's planned training peak. */
    public long plannedPeakBytes() {
        return plannedPeakBytes;
    }

    /** Bytes the backend held before the network was bound (the scorer's, other runs'). */
    public long bytesHeldOutside() {
        return bytesHeldOutside;
    }

    public DeviceOutOfMemoryException deviceError() {
        return (DeviceOutOfMemoryException) getCause();
    }
}
