package org.spidernet.exec;

import org.spidernet.backend.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Every buffer a training step needs, with size and lifetime, known before anything runs, and
 * the tensors ("slots") they are packed into.
 *
 * <p>The engine allocates every slot once, when a network is bound to a backend, and keeps it for
 * the network's life (no allocation inside a step), so the planned peak is exact: tests compare it
 * with the backend's own allocation count. With sharing on, activations and activation gradients
 * of one shape share a slot when their lifetimes (schedule steps, inclusive) do not overlap. Slots
 * are handed out per shape in order of first use, reusing the slot that fell free first; for
 * intervals that greedy order needs exactly as many slots as the most buffers of that shape live
 * at one step, so the only excess over {@link #livenessPeakBytes} is that shapes do not mix.
 * Parameters, their gradients, optimiser state, statistics and the pinned buffers (read or written
 * outside the schedule: the input, the input gradient, the heads' logits and their gradients) get
 * slots of their own.
 */
public final class MemoryPlan {
    private final List<BufferSpec> buffers;
    private final int batchSize;
    private final int bytesPerElement;
    private final int steps;
    private final boolean shared;
    private final boolean[] transientBuffer;
    private final int[] slotOf;
    private final List<int[]> slotShapes = new ArrayList<>();

    MemoryPlan(List<BufferSpec> buffers, int batchSize, int bytesPerElement, int steps, boolean shared,
               Set<Integer> pinned) {
        this.buffers = List.copyOf(buffers);
        this.batchSize = batchSize;
        this.bytesPerElement = bytesPerElement;
        this.steps = steps;
        this.shared = shared;
        int n = this.buffers.size();
        this.transientBuffer = new boolean[n];
        this.slotOf = new int[n];
        List<BufferSpec> sharing = new ArrayList<>();
        for (BufferSpec b : this.buffers) {
            boolean activation = b.kind() == BufferKind.ACTIVATION || b.kind() == BufferKind.ACTIVATION_GRADIENT;
            transientBuffer[b.id()] = shared && activation && b.firstUse() >= 0 && !pinned.contains(b.id());
            if (transientBuffer[b.id()]) {
                sharing.add(b);
            } else {
                slotOf[b.id()] = newSlot(b.shape());
            }
        }
        sharing.sort(Comparator.comparingInt(BufferSpec::firstUse).thenComparingInt(BufferSpec::id));
        // per shape: the slots in use, the one that falls free first on top ({lastUse, slot})
        Map<String, PriorityQueue<int[]>> busy = new HashMap<>();
        for (BufferSpec b : sharing) {
            PriorityQueue<int[]> q = busy.computeIfAbsent(Arrays.toString(b.shape()),
                    k -> new PriorityQueue<>((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1])));
            int slot = !q.isEmpty() && q.peek()[0] < b.firstUse() ? q.poll()[1] : newSlot(b.shape());
            slotOf[b.id()] = slot;
            q.add(new int[]{b.lastUse(), slot});
        }
    }

    private int newSlot(int[] shape) {
        slotShapes.add(shape.clone());
        return slotShapes.size() - 1;
    }

    public List<BufferSpec> buffers() {
        return buffers;
    }

    public int batchSize() {
        return batchSize;
    }

    public int bytesPerElement() {
        return bytesPerElement;
    }

    /** Schedule length: forward steps 0..F-1, backward steps F..2F-1. */
    public int steps() {
        return steps;
    }

    /** Whether buffers with disjoint lifetimes share tensors ({@link PlanOptions#shareMemory()}). */
    public boolean shared() {
        return shared;
    }

    /** Number of tensors a bound network allocates. */
    public int slotCount() {
        return slotShapes.size();
    }

    /** The tensor that holds buffer {@code id}. */
    public int slotOf(int id) {
        return slotOf[id];
    }

    /** Shape of slot {@code slot}: every buffer packed into it has this shape. */
    public int[] slotShape(int slot) {
        return slotShapes.get(slot).clone();
    }

    /**
     * True when buffer {@code id} may share its tensor with others: its contents are only
     * meaningful between its first and last use, so an activation gradient must be zeroed at its
     * first use rather than when the backward pass starts.
     */
    public boolean isTransient(int id) {
        return transientBuffer[id];
    }

    /** Exact bytes the bound network holds: the sum over its slots. */
    public long peakBytes() {
        long sum = 0;
        for (int[] s : slotShapes) {
            sum += Tensor.elementCount(s) * bytesPerElement;
        }
        return sum;
    }

    /** What the plan would hold with every buffer in a tensor of its own. */
    public long unsharedBytes() {
        long sum = 0;
        for (BufferSpec b : buffers) {
            sum += b.bytes(bytesPerElement);
        }
        return sum;
    }

    /** Bytes by what the buffers hold, each buffer counted in full (shared or not). */
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
     * Peak over schedule steps of the bytes that are live at that step, if buffers of any shape
     * could share memory: the lower bound for any allocator that keeps the schedule. Parameters,
     * gradients, optimiser state and statistics live for the whole step.
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
