package org.spidernet.backend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A backend's record of its live tensors and the bytes they hold, behind {@link Backend#memory()}
 * and {@link Backend#resetPeak()}. Counts tensor bytes exactly (element count times bytes per
 * element), which is what the execution plan's memory checks compare against. Not thread-safe:
 * a backend is used from one thread.
 *
 * <p>A ledger may have a capacity: then {@link #admit} refuses a tensor that would take the bytes
 * in use past it with a {@link DeviceOutOfMemoryException}, before the backend touches any memory.
 * On the host backends this emulates a device smaller than the machine, so the search's handling
 * of a device running out of memory runs (and is tested) without a GPU.
 */
public final class TensorLedger<T extends Tensor> {
    /** The capacity of a ledger that never refuses a tensor. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final String backend;
    private final int bytesPerElement;
    private final long capacityBytes;
    private final Set<T> live = new LinkedHashSet<>();
    private long bytesInUse;
    private long peakBytes;

    /** A ledger without a capacity. */
    public TensorLedger(String backend, int bytesPerElement) {
        this(backend, bytesPerElement, UNLIMITED);
    }

    /** @param capacityBytes bytes the live tensors may hold together, or {@link #UNLIMITED} */
    public TensorLedger(String backend, int bytesPerElement, long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException(backend + ": device capacity must be > 0 bytes, got " + capacityBytes);
        }
        this.backend = backend;
        this.bytesPerElement = bytesPerElement;
        this.capacityBytes = capacityBytes;
    }

    /** Bytes the live tensors may hold together ({@link #UNLIMITED} when there is no capacity). */
    public long capacityBytes() {
        return capacityBytes;
    }

    /**
     * Throws {@link DeviceOutOfMemoryException} (changing nothing) when a tensor of {@code elements}
     * elements would take the bytes in use past the capacity. Called before allocating.
     */
    public void admit(long elements) {
        if (capacityBytes == UNLIMITED) {
            return;
        }
        long bytes = elements * bytesPerElement;
        if (bytes > capacityBytes - bytesInUse) {
            throw new DeviceOutOfMemoryException(backend, bytes, bytesInUse, capacityBytes, "emulated capacity");
        }
    }

    /** Records a newly allocated tensor. */
    public void allocated(T t) {
        live.add(t);
        bytesInUse += t.size() * bytesPerElement;
        peakBytes = Math.max(peakBytes, bytesInUse);
    }

    /** Records a closed tensor; a tensor not (or no longer) live is ignored. */
    public void released(T t) {
        if (live.remove(t)) {
            bytesInUse -= t.size() * bytesPerElement;
        }
    }

    public MemoryStats stats() {
        return new MemoryStats(bytesInUse, peakBytes, live.size());
    }

    public void resetPeak() {
        peakBytes = bytesInUse;
    }

    /** Forgets every live tensor (the backend is closing) and returns them, oldest first, to be freed. */
    public List<T> drain() {
        List<T> open = new ArrayList<>(live);
        live.clear();
        bytesInUse = 0;
        return open;
    }
}
