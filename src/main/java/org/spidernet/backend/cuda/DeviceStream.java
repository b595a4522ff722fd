package org.spidernet.backend.cuda;

/**
 * The one stream a backend queues its kernels on, as its op families see it: the context handle,
 * the status check of every launch, whether the backend is open and whether a step is being
 * recorded (which refuses anything that would wait for the device, copy host memory or allocate),
 * and the reduction workspace a captured step's kernels point into.
 */
final class DeviceStream {
    private final CudaContext context;
    private final boolean synchronous;
    /** Reduction workspace; a captured step's kernels point into it. */
    private final Scratch reductions;
    /** True while a step is being recorded into a graph. */
    private boolean capturing;
    private boolean closed;

    DeviceStream(CudaContext context, boolean synchronous, Scratch reductions) {
        this.context = context;
        this.synchronous = synchronous;
        this.reductions = reductions;
    }

    CudaContext context() {
        return context;
    }

    long handle() {
        return context.handle();
    }

    /**
     * Throws {@link CudaException} naming {@code call} unless {@code status} is 0. In synchronous
     * mode it then waits for the stream, so a fault inside a kernel is reported against the op
     * that launched it instead of at the next waiting call.
     */
    void check(int status, String call) {
        CudaNative.check(status, call);
        if (synchronous && !capturing) {
            CudaNative.check(CudaNative.synchronize(context.handle()), call + " (checked synchronously)");
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("CUDA backend is closed");
        }
    }

    /** Marks the backend closed: every later op is refused. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    boolean capturing() {
        return capturing;
    }

    void capturing(boolean recording) {
        this.capturing = recording;
    }

    /** Refuses {@code what} while a step is being recorded: it would wait for the device, copy host memory or allocate. */
    void notCapturing(String what) {
        if (capturing) {
            throw new IllegalStateException(what + " inside a captured step: a recorded step may not wait for the "
                    + "device, copy host memory or allocate");
        }
    }

    /** Reduction workspace of at least {@code bytes}; growing it inside a recording is refused. */
    long workspace(String op, long bytes) {
        if (capturing && reductions.bytes() < bytes) {
            throw new IllegalStateException(op + ": its workspace would grow (an allocation) inside a captured step; "
                    + "run the step once before recording it");
        }
        return reductions.pointer(bytes);
    }
}
