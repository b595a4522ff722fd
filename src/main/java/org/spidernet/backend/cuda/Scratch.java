package org.spidernet.backend.cuda;

/**
 * A device buffer an op borrows for host-provided arguments (per-sample scales, labels, pointer
 * tables) and reduction workspace; it grows on demand and is kept, so a steady-state step does
 * not allocate. Reuse is safe without waiting: the context has one stream, so a copy into the
 * buffer is ordered after every kernel queued earlier that still reads it, and the free of an
 * outgrown buffer is stream-ordered too. Not counted in {@link org.spidernet.backend.MemoryStats}
 * (which holds the engine's tensors, the figure plans are checked against); {@link #bytes()} says
 * what it holds.
 */
final class Scratch implements AutoCloseable {
    private final CudaContext context;
    private final String purpose;
    private DeviceBuffer buffer;
    private long generation;

    Scratch(CudaContext context, String purpose) {
        this.context = context;
        this.purpose = purpose;
    }

    /** The device address of at least {@code bytes} bytes (contents undefined), growing the buffer if needed. */
    long pointer(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(purpose + " scratch: negative size " + bytes);
        }
        if (buffer == null || buffer.bytes() < bytes) {
            long grown = Math.max(bytes, buffer == null ? 256 : Math.multiplyExact(buffer.bytes(), 2L));
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
            buffer = context.allocate(grown);
            generation++;
        }
        return buffer.pointer();
    }

    /**
     * How many buffers this scratch has allocated: a kernel recorded into a graph points at the
     * buffer of its time, so a change means the graph must be recorded again.
     */
    long generation() {
        return generation;
    }

    /** Bytes held now (0 before first use). */
    long bytes() {
        return buffer == null ? 0 : buffer.bytes();
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }
}
