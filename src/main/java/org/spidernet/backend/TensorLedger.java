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
 */
public final class TensorLedger<T extends Tensor> {
    private final int bytesPerElement;
    private final Set<T> live = new LinkedHashSet<>();
    private long bytesInUse;
    private long peakBytes;

    public TensorLedger(int bytesPerElement) {
        this.bytesPerElement = bytesPerElement;
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
