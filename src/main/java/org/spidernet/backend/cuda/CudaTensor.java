package org.spidernet.backend.cuda;

import org.spidernet.backend.Tensor;

/** A float32 tensor in device memory from its backend's pool ({@link TensorStorage}). */
final class CudaTensor implements Tensor {
    private final TensorStorage owner;
    private final int[] shape;
    private final long size;
    private DeviceBuffer buffer;

    CudaTensor(TensorStorage owner, int[] shape, long size, DeviceBuffer buffer) {
        this.owner = owner;
        this.shape = shape;
        this.size = size;
        this.buffer = buffer;
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public long size() {
        return size;
    }

    TensorStorage owner() {
        return owner;
    }

    boolean isClosed() {
        return buffer == null;
    }

    /** The device address; throws once closed. */
    long pointer() {
        if (buffer == null) {
            throw new IllegalStateException("CUDA tensor " + java.util.Arrays.toString(shape) + " is closed");
        }
        return buffer.pointer();
    }

    DeviceBuffer buffer() {
        if (buffer == null) {
            throw new IllegalStateException("CUDA tensor " + java.util.Arrays.toString(shape) + " is closed");
        }
        return buffer;
    }

    /**
     * Frees the device memory (stream-ordered). While the owner records a step, the free waits
     * until the recording ends (see {@link GraphCapture#free}); the tensor is closed at once.
     */
    @Override
    public void close() {
        if (buffer == null) {
            return;
        }
        owner.released(this);
        DeviceBuffer freeing = buffer;
        buffer = null;
        owner.free(freeing);
    }

    /** Frees the device memory without telling the owner (the owner is closing and forgets every tensor). */
    void invalidate() {
        if (buffer != null) {
            DeviceBuffer freeing = buffer;
            buffer = null;
            freeing.close();
        }
    }
}
