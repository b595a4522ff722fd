package org.spidernet.exec;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every buffer a training step needs, with size and lifetime, known before anything runs.
 *
 * <p>The engine allocates every planned buffer once, when a network is bound to a backend, and
 * keeps it for the network's life (no allocation inside a step). The planned peak is therefore
 * the sum of all buffers, and it is exact: tests compare it with the backend's own allocation
 * count. {@link #livenessPeakBytes} is the lower bound a lifetime-aware allocator could reach,
 * reported for comparison.
 */
public record MemoryPlan(List<BufferSpec> buffers, int batchSize, int bytesPerElement, int steps) {

    public MemoryPlan {
        buffers = List.copyOf(buffers);
    }

    /** Exact bytes the bound network holds: parameters, gradients, optimiser state, statistics, activations. */
    public long peakBytes() {
        long sum = 0;
        for (BufferSpec b : buffers) {
            sum += b.bytes(bytesPerElement);
        }
        return sum;
    }

    public Map<BufferKind, Long> bytesByKind() {
        Map<BufferKind, Long> m = new EnumMap<>(BufferKind.class);
        for (BufferKind k : BufferKind.values()) {
            m.put(k, 0L);
        }
        for (BufferSpec b : buffers) {
            m.merge(b.kind(), b.bytes(bytesPerElement), Long::sum);
        }
        return m;
    }

    /**
     * Peak over schedule steps of the bytes that are live at that step, when buffers used only
     * within a step range could share memory. Parameters, gradients, optimiser state and
     * statistics live for the whole step.
     */
    public long livenessPeakBytes() {
        long[] delta = new long[steps + 2];
        long persistent = 0;
        for (BufferSpec b : buffers) {
            long bytes = b.bytes(bytesPerElement);
            boolean transient_ = (b.kind() == BufferKind.ACTIVATION || b.kind() == BufferKind.ACTIVATION_GRADIENT
                    || b.kind() == BufferKind.INPUT) && b.firstUse() >= 0;
            if (!transient_) {
                persistent += bytes;
            } else {
                delta[b.firstUse()] += bytes;
                delta[b.lastUse() + 1] -= bytes;
            }
        }
        long live = 0;
        long peak = 0;
        for (long d : delta) {
            live += d;
            peak = Math.max(peak, live);
        }
        return persistent + peak;
    }
}
