package org.spidernet.backend.reference;

import java.util.Arrays;
import org.spidernet.backend.Tensor;

/**
 * A float64 tensor of the {@link ReferenceBackend}: a shape and a row-major {@code double[]}.
 * The array is only reachable through the owning backend's {@link Storage}, which checks
 * ownership and liveness on every use, so the reference behaves like a device backend whose
 * memory cannot be touched directly.
 */
final class ReferenceTensor implements Tensor {
    private final Storage owner;
    private final int[] shape;
    /** Null once the tensor is closed, so a use after close cannot silently read stale data. */
    private double[] data;

    ReferenceTensor(Storage owner, int[] shape, int size) {
        this.owner = owner;
        this.shape = shape.clone();
        this.data = new double[size];
    }

    @Override
    public int[] shape() {
        // a copy: the oracle should not be corruptible by a caller that breaks the "do not modify" rule
        return shape.clone();
    }

    /** Frees the storage and tells the owner; calling it again does nothing. */
    @Override
    public void close() {
        if (data != null) {
            data = null;
            owner.released(this);
        }
    }

    Storage owner() {
        return owner;
    }

    boolean isClosed() {
        return data == null;
    }

    /** The storage; the caller (the owner's storage) has checked that the tensor is open. */
    double[] data() {
        return data;
    }

    /** Drops the storage without notifying the owner: used when the owner itself is closing. */
    void invalidate() {
        data = null;
    }

    @Override
    public String toString() {
        return "ReferenceTensor" + Arrays.toString(shape) + (data == null ? " (closed)" : "");
    }
}
