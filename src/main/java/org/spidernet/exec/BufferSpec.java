package org.spidernet.exec;

import org.spidernet.backend.Tensor;

import java.util.Arrays;

/**
 * One buffer of an execution plan: its shape, what it holds and when it is live, as step
 * indices in the schedule (forward steps 0..F-1, then backward steps F..2F-1 in reverse order).
 */
public record BufferSpec(int id, String name, BufferKind kind, int[] shape, int firstUse, int lastUse) {

    public long elements() {
        return Tensor.elementCount(shape);
    }

    public long bytes(int bytesPerElement) {
        return elements() * bytesPerElement;
    }

    BufferSpec withUse(int step) {
        int f = firstUse < 0 ? step : Math.min(firstUse, step);
        return new BufferSpec(id, name, kind, shape, f, Math.max(lastUse, step));
    }

    @Override
    public String toString() {
        return name + " " + kind + " " + Arrays.toString(shape) + " live " + firstUse + ".." + lastUse;
    }
}
