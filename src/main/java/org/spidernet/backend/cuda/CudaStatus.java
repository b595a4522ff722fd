package org.spidernet.backend.cuda;

import org.spidernet.backend.DeviceOutOfMemoryException;

/**
 * The C statuses the Java side tells apart, and the exception each failure becomes. Plain Java
 * (no native call), so the mapping is unit-tested on machines without the library.
 */
final class CudaStatus {
    /**
     * {@code cudaErrorMemoryAllocation}: what {@code snc_alloc} returns when the context's pool
     * cannot get the memory from the device. The same number is {@code SNC_CUDA_ERROR_MEMORY_ALLOCATION}
     * in {@code native/spidernet_cuda.h}, which {@code native/context_memory.cpp} checks against the
     * CUDA runtime's enum at compile time.
     */
    static final int MEMORY_ALLOCATION = 2;

    private CudaStatus() {
    }

    /**
     * The exception for {@code snc_alloc} of {@code bytes} failing with {@code status}: a
     * {@link DeviceOutOfMemoryException} (with the figures, each possibly
     * {@link DeviceOutOfMemoryException#UNKNOWN}) when the device is out of memory, otherwise a
     * {@link CudaException} naming the call.
     */
    static RuntimeException allocationFailure(int status, String statusText, long bytes, long bytesInUse,
                                              long capacityBytes) {
        if (status == MEMORY_ALLOCATION) {
            return new DeviceOutOfMemoryException("cuda", bytes, bytesInUse, capacityBytes, statusText);
        }
        return new CudaException(status, "snc_alloc(" + bytes + " bytes) failed: " + statusText);
    }
}
