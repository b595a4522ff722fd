package org.spidernet.backend.cuda;

/**
 * Device memory from a {@link CudaContext}'s pool. Sizes are in bytes; the typed copy methods
 * require the host array to cover the buffer exactly, so a shape mistake fails here, in Java,
 * and never as an out-of-bounds access on the device.
 */
final class DeviceBuffer implements AutoCloseable {
    private final CudaContext context;
    private final long bytes;
    private long pointer;

    DeviceBuffer(CudaContext context, long pointer, long bytes) {
        this.context = context;
        this.pointer = pointer;
        this.bytes = bytes;
    }

    CudaContext context() {
        return context;
    }

    long bytes() {
        return bytes;
    }

    /** The device address; throws once the buffer is closed. */
    long pointer() {
        if (pointer == 0) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes is closed");
        }
        return pointer;
    }

    void upload(float[] data) {
        requireBytes((long) data.length * Float.BYTES, "upload of float[" + data.length + "]");
        CudaNative.check(CudaNative.copyToDevice(context.handle(), pointer(), data, bytes), "snc_copy_to_device");
    }

    float[] downloadFloats() {
        float[] data = new float[elements(Float.BYTES)];
        CudaNative.check(CudaNative.copyToHost(context.handle(), data, pointer(), bytes), "snc_copy_to_host");
        return data;
    }

    double[] downloadDoubles() {
        double[] data = new double[elements(Double.BYTES)];
        CudaNative.check(CudaNative.copyToHost(context.handle(), data, pointer(), bytes), "snc_copy_to_host");
        return data;
    }

    /** Queues a fill with zero bytes (0.0f and 0.0 alike). */
    void zero() {
        CudaNative.check(CudaNative.memsetZero(context.handle(), pointer(), bytes), "snc_memset_zero");
    }

    /** Throws unless the buffer holds exactly {@code expected} bytes. */
    void requireBytes(long expected, String what) {
        if (bytes != expected) {
            throw new IllegalArgumentException(what + " needs " + expected + " bytes, the device buffer has " + bytes);
        }
    }

    /** Throws unless the buffer is {@code owner}'s and holds exactly {@code expected} bytes. */
    void requireArgument(CudaContext owner, long expected, String name) {
        if (context != owner) {
            throw new IllegalArgumentException(name + " belongs to another CUDA context");
        }
        requireBytes(expected, name);
    }

    private int elements(int elementBytes) {
        if (bytes % elementBytes != 0 || bytes / elementBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a device buffer of " + bytes + " bytes is not a Java array of "
                    + elementBytes + "-byte elements");
        }
        return (int) (bytes / elementBytes);
    }

    /** Queues the free on the stream. After the context is closed the pool has already released it. */
    @Override
    public void close() {
        if (pointer == 0) {
            return;
        }
        long freeing = pointer;
        pointer = 0;
        if (context.isOpen()) {
            CudaNative.check(CudaNative.free(context.handle(), freeing), "snc_free");
        }
    }
}
