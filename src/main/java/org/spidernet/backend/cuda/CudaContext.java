package org.spidernet.backend.cuda;

import org.spidernet.backend.BackendUnavailableException;

/**
 * A stream on one device with its own stream-ordered memory pool (native {@code snc_context}).
 * Kernels and frees are queued on the stream; host copies wait for it. Not thread-safe: one
 * context serves one thread at a time. Closing waits for queued work and releases the pool,
 * which also releases buffers that were not closed.
 */
final class CudaContext implements AutoCloseable {
    private final int device;
    private long handle;

    private CudaContext(int device, long handle) {
        this.device = device;
        this.handle = handle;
    }

    /** Opens a context on {@code device}; the device probe must have found a usable device. */
    static CudaContext open(int device) {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.availability().usable()) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + probe.availability().detail());
        }
        if (device < 0 || device >= probe.devices().size() || !probe.devices().get(device).supported()) {
            throw new IllegalArgumentException("no supported CUDA device " + device + " (devices: " + probe.devices() + ")");
        }
        long[] created = new long[1];
        CudaNative.check(CudaNative.contextCreate(device, created), "snc_context_create(" + device + ")");
        return new CudaContext(device, created[0]);
    }

    int device() {
        return device;
    }

    boolean isOpen() {
        return handle != 0;
    }

    /** The native handle; throws once the context is closed, so a stale handle never reaches C. */
    long handle() {
        if (handle == 0) {
            throw new IllegalStateException("CUDA context on device " + device + " is closed");
        }
        return handle;
    }

    /**
     * Uninitialised device memory of {@code bytes} bytes, from the pool. When the device cannot
     * supply it, throws {@link org.spidernet.backend.DeviceOutOfMemoryException} with the pool's
     * bytes in use and, as the capacity, those plus the device's free memory (the native side has
     * already waited for queued frees, returned the pool's unused memory and retried once).
     */
    DeviceBuffer allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative allocation: " + bytes + " bytes");
        }
        long[] pointer = new long[1];
        int status = CudaNative.alloc(handle(), bytes, pointer);
        if (status != 0) {
            throw allocationFailure(status, bytes);
        }
        return new DeviceBuffer(this, pointer[0], bytes);
    }

    private RuntimeException allocationFailure(int status, long bytes) {
        long inUse = org.spidernet.backend.DeviceOutOfMemoryException.UNKNOWN;
        long capacity = org.spidernet.backend.DeviceOutOfMemoryException.UNKNOWN;
        if (status == CudaStatus.MEMORY_ALLOCATION) {
            try {
                inUse = poolUsedBytes();
                long[] free = new long[1];
                long[] total = new long[1];
                CudaNative.check(CudaNative.deviceMemory(device, free, total), "snc_device_memory");
                capacity = inUse + free[0];
            } catch (RuntimeException e) {
                // the figures are a courtesy; the out-of-memory itself is what the caller must see
            }
        }
        return CudaStatus.allocationFailure(status, CudaNative.statusString(status), bytes, inUse, capacity);
    }

    /** Blocks until everything queued on this context's stream has run; reports kernel faults. */
    void synchronize() {
        CudaNative.check(CudaNative.synchronize(handle()), "snc_synchronize");
    }

    /** Bytes of the pool held by live allocations. */
    long poolUsedBytes() {
        long[] used = new long[1];
        long[] reserved = new long[1];
        CudaNative.check(CudaNative.poolUsage(handle(), used, reserved), "snc_pool_usage");
        return used[0];
    }

    /** The pool's high-water mark of bytes in use; {@code reset} restarts it from the bytes in use now. Waits for the stream. */
    long poolHighWaterBytes(boolean reset) {
        synchronize();
        long[] high = new long[1];
        CudaNative.check(CudaNative.poolHighWater(handle(), high, reset ? 1 : 0), "snc_pool_high_water");
        return high[0];
    }

    @Override
    public void close() {
        if (handle == 0) {
            return;
        }
        long closing = handle;
        handle = 0;
        CudaNative.check(CudaNative.contextDestroy(closing), "snc_context_destroy");
    }
}
