// Contexts (one stream each), the stream-ordered device memory pool, and host <-> device copies.
#include <cuda_runtime.h>

#include <cstdint>
#include <new>

#include "context.hpp"
#include "spidernet_cuda.h"

namespace {

int to_status(cudaError_t error) { return static_cast<int>(error); }

static_assert(static_cast<int>(cudaErrorMemoryAllocation) == SNC_CUDA_ERROR_MEMORY_ALLOCATION,
              "spidernet_cuda.h (and CudaStatus.MEMORY_ALLOCATION on the Java side) must match cuda_runtime.h");

}  // namespace

extern "C" int snc_context_create(int device, snc_context** context) {
    if (context == nullptr) return SNC_ERR_ARGUMENT;
    *context = nullptr;
    cudaError_t status = cudaSetDevice(device);
    if (status != cudaSuccess) return to_status(status);

    // A pool of our own rather than the device's default pool: raising the release threshold
    // of the default pool would change the behaviour of every other library in the process.
    // Devices without stream-ordered pools (pre-Pascal, some vGPU setups) fail here with
    // cudaErrorNotSupported; the kernels need sm_80 anyway.
    cudaMemPoolProps properties = {};
    properties.allocType = cudaMemAllocationTypePinned;
    properties.location.type = cudaMemLocationTypeDevice;
    properties.location.id = device;
    cudaMemPool_t pool = nullptr;
    status = cudaMemPoolCreate(&pool, &properties);
    if (status != cudaSuccess) return to_status(status);
    uint64_t keep_everything = UINT64_MAX;
    status = cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep_everything);
    if (status != cudaSuccess) {
        cudaMemPoolDestroy(pool);
        return to_status(status);
    }

    // Non-blocking: the legacy default stream must not serialise this stream with other libraries' work.
    cudaStream_t stream = nullptr;
    status = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
    if (status != cudaSuccess) {
        cudaMemPoolDestroy(pool);
        return to_status(status);
    }

    snc_context* created = new (std::nothrow) snc_context{device, stream, pool};
    if (created == nullptr) {
        cudaStreamDestroy(stream);
        cudaMemPoolDestroy(pool);
        return SNC_ERR_OUT_OF_HOST_MEMORY;
    }
    *context = created;
    return SNC_OK;
}

extern "C" int snc_context_destroy(snc_context* context) {
    if (context == nullptr) return SNC_OK;
    int first_error = snc::bind(context);
    // Report the first failure but release everything regardless: a context is destroyed once.
    const cudaError_t synced = cudaStreamSynchronize(context->stream);
    if (first_error == SNC_OK) first_error = to_status(synced);
    const cudaError_t stream_destroyed = cudaStreamDestroy(context->stream);
    if (first_error == SNC_OK) first_error = to_status(stream_destroyed);
    // Blocks still allocated from the pool are released by the driver once they are freed or
    // the process ends; destroying the pool does not wait for them.
    const cudaError_t pool_destroyed = cudaMemPoolDestroy(context->pool);
    if (first_error == SNC_OK) first_error = to_status(pool_destroyed);
    delete context;
    return first_error;
}

extern "C" int snc_synchronize(snc_context* context) {
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return to_status(cudaStreamSynchronize(context->stream));
}

extern "C" int snc_pool_usage(snc_context* context, int64_t* used_bytes, int64_t* reserved_bytes) {
    if (used_bytes == nullptr || reserved_bytes == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    uint64_t used = 0;
    uint64_t reserved = 0;
    cudaError_t status = cudaMemPoolGetAttribute(context->pool, cudaMemPoolAttrUsedMemCurrent, &used);
    if (status != cudaSuccess) return to_status(status);
    status = cudaMemPoolGetAttribute(context->pool, cudaMemPoolAttrReservedMemCurrent, &reserved);
    if (status != cudaSuccess) return to_status(status);
    *used_bytes = static_cast<int64_t>(used);
    *reserved_bytes = static_cast<int64_t>(reserved);
    return SNC_OK;
}

extern "C" int snc_pool_high_water(snc_context* context, int64_t* high_bytes, int reset) {
    if (high_bytes == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    uint64_t high = 0;
    cudaError_t status = cudaMemPoolGetAttribute(context->pool, cudaMemPoolAttrUsedMemHigh, &high);
    if (status != cudaSuccess) return to_status(status);
    *high_bytes = static_cast<int64_t>(high);
    if (reset != 0) {
        uint64_t zero = 0;  // the only value the attribute accepts: the mark restarts from current usage
        status = cudaMemPoolSetAttribute(context->pool, cudaMemPoolAttrUsedMemHigh, &zero);
        if (status != cudaSuccess) return to_status(status);
    }
    return SNC_OK;
}

extern "C" int snc_alloc(snc_context* context, int64_t bytes, void** device_pointer) {
    if (device_pointer == nullptr || bytes < 0) return SNC_ERR_ARGUMENT;
    *device_pointer = nullptr;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    // A zero-byte tensor still gets a distinct, freeable address; one byte costs nothing in a pool.
    const size_t size = bytes == 0 ? 1 : static_cast<size_t>(bytes);
    cudaError_t status = cudaMallocFromPoolAsync(device_pointer, size, context->pool, context->stream);
    if (status != cudaErrorMemoryAllocation) return to_status(status);
    // Out of memory is not sticky, but it stays the thread's last error, and the kernel launches
    // check launches with cudaGetLastError: clear it, or the next launch would report it.
    cudaGetLastError();
    // Frees queued on the stream complete, and memory the pool keeps but does not use goes back to
    // the device (fragments of it may be what stands in the way of one large block); then retry once.
    const cudaError_t synced = cudaStreamSynchronize(context->stream);
    if (synced != cudaSuccess) return to_status(synced);
    const cudaError_t trimmed = cudaMemPoolTrimTo(context->pool, 0);
    if (trimmed != cudaSuccess) return to_status(trimmed);
    *device_pointer = nullptr;
    status = cudaMallocFromPoolAsync(device_pointer, size, context->pool, context->stream);
    if (status == cudaErrorMemoryAllocation) cudaGetLastError();
    return to_status(status);
}

extern "C" int snc_free(snc_context* context, void* device_pointer) {
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    if (device_pointer == nullptr) return SNC_OK;
    return to_status(cudaFreeAsync(device_pointer, context->stream));
}

extern "C" int snc_memset_zero(snc_context* context, void* device_pointer, int64_t bytes) {
    if (device_pointer == nullptr || bytes < 0) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return to_status(cudaMemsetAsync(device_pointer, 0, static_cast<size_t>(bytes), context->stream));
}

// Copies wait for completion because the host side is a Java array pinned (or copied) by JNI only
// for the duration of the native call; the device must be done with it before we return.
extern "C" int snc_copy_to_device(snc_context* context, void* device_destination, const void* host_source,
                                  int64_t bytes) {
    if (bytes == 0) return SNC_OK;  // JNI may hand over null for an empty array
    if (device_destination == nullptr || host_source == nullptr || bytes < 0) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    const cudaError_t status = cudaMemcpyAsync(device_destination, host_source, static_cast<size_t>(bytes),
                                               cudaMemcpyHostToDevice, context->stream);
    if (status != cudaSuccess) return to_status(status);
    return to_status(cudaStreamSynchronize(context->stream));
}

extern "C" int snc_copy_to_host(snc_context* context, void* host_destination, const void* device_source,
                                int64_t bytes) {
    if (bytes == 0) return SNC_OK;  // JNI may hand over null for an empty array
    if (host_destination == nullptr || device_source == nullptr || bytes < 0) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    const cudaError_t status = cudaMemcpyAsync(host_destination, device_source, static_cast<size_t>(bytes),
                                               cudaMemcpyDeviceToHost, context->stream);
    if (status != cudaSuccess) return to_status(status);
    return to_status(cudaStreamSynchronize(context->stream));
}
