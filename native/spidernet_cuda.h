/*
 * The C API of libspidernet_cuda, the host side of SpiderNet's CUDA backend. This is the whole
 * boundary the Java side binds (org.spidernet.backend.cuda.CudaNative, through JavaCPP), so it is
 * plain C with no CUDA types: the JNI glue compiles with g++ alone.
 *
 * Conventions
 *  - Every function returns a status: 0 (SNC_OK) is success, a positive value is a cudaError_t,
 *    a negative value is one of this library's SNC_ERR_* codes; snc_status_string explains it.
 *  - Device pointers are opaque addresses obtained from snc_alloc. Tensors are dense float32,
 *    row-major, sample index outermost.
 *  - Work is queued on the context's stream; only copies to and from host memory and
 *    snc_synchronize wait for it. Errors of queued kernels surface at the next waiting call.
 *  - A context may be used from any thread, but not from two threads at once.
 */
#ifndef SPIDERNET_CUDA_H
#define SPIDERNET_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is linked with -fvisibility=hidden; only these functions are exported. */
#define SNC_API __attribute__((visibility("default")))

#define SNC_OK 0
#define SNC_ERR_ARGUMENT (-1)    /* a null pointer, negative size or too small buffer */
#define SNC_ERR_NO_DRIVER (-2)   /* libcuda.so.1 cannot be loaded */
#define SNC_ERR_OUT_OF_HOST_MEMORY (-3)

typedef struct snc_context snc_context;

/* ---- status ---------------------------------------------------------------------------- */

/* "cudaErrorNoDevice: no CUDA-capable device is detected", or the SNC_ERR_* meaning. Static storage. */
SNC_API const char* snc_status_string(int status);

/* ---- driver and device query (no context needed) ----------------------------------------- */

/* SNC_OK when the NVIDIA driver library (libcuda.so.1) loads; otherwise SNC_ERR_NO_DRIVER with
   the loader's message copied into `message` (NUL-terminated, truncated to `capacity`). */
SNC_API int snc_driver_probe(char* message, int capacity);

/* CUDA versions as 1000 * major + 10 * minor. The driver version is 0 when no driver is loaded. */
SNC_API int snc_runtime_version(int* version);
SNC_API int snc_driver_version(int* version);

SNC_API int snc_device_count(int* count);

/* Name (NUL-terminated, truncated to name_capacity), compute capability and multiprocessor count. */
SNC_API int snc_device_properties(int device, char* name, int name_capacity, int* compute_major,
                                  int* compute_minor, int* multiprocessors);

/* Free and total device memory in bytes. Creates the device's primary context if needed. */
SNC_API int snc_device_memory(int device, int64_t* free_bytes, int64_t* total_bytes);

/* ---- contexts, memory pool and copies --------------------------------------------------- */

/* A stream on `device` with its own stream-ordered memory pool. */
SNC_API int snc_context_create(int device, snc_context** context);

/* Waits for queued work, then releases the stream and the pool. Null is a no-op. */
SNC_API int snc_context_destroy(snc_context* context);

SNC_API int snc_synchronize(snc_context* context);

/* Bytes of the pool in use by live allocations, and bytes the pool holds from the driver. */
SNC_API int snc_pool_usage(snc_context* context, int64_t* used_bytes, int64_t* reserved_bytes);

/* Allocation and release are ordered on the stream: a buffer may be freed right after queuing
   the last kernel that reads it. Memory returned by snc_alloc is not initialised. */
SNC_API int snc_alloc(snc_context* context, int64_t bytes, void** device_pointer);
SNC_API int snc_free(snc_context* context, void* device_pointer);

/* Sets `bytes` bytes at `device_pointer` to zero (queued). */
SNC_API int snc_memset_zero(snc_context* context, void* device_pointer, int64_t bytes);

/* Host <-> device copies; they return once the copy (and all work queued before it) is done. */
SNC_API int snc_copy_to_device(snc_context* context, void* device_destination, const void* host_source,
                               int64_t bytes);
SNC_API int snc_copy_to_host(snc_context* context, void* host_destination, const void* device_source,
                             int64_t bytes);

/* ---- kernels (queued on the context's stream) ------------------------------------------- */

/* y[n, :] += scale[n] * x[n, :]; x, y [samples, per_sample], scale [samples], all on the device. */
SNC_API int snc_scale_add_per_sample(snc_context* context, const float* x, const float* scale, float* y,
                                     int samples, int64_t per_sample);

/* Workspace bytes snc_dot_per_sample needs; 0 for samples <= 0. */
SNC_API int64_t snc_dot_per_sample_workspace_bytes(int samples, int64_t per_sample);

/* out[n] = sum over i of a[n, i] * b[n, i], accumulated in float64 (out is double[samples] on the device). */
SNC_API int snc_dot_per_sample(snc_context* context, const float* a, const float* b, int samples,
                               int64_t per_sample, double* workspace, int64_t workspace_bytes, double* out);

/* y = max(x, 0), elementwise over `count` floats; y may equal x. */
SNC_API int snc_relu_forward(snc_context* context, const float* x, float* y, int64_t count);

/* dx += x > 0 ? dy : 0, elementwise over `count` floats. */
SNC_API int snc_relu_backward(snc_context* context, const float* x, const float* dy, float* dx, int64_t count);

#ifdef __cplusplus
}
#endif

#endif /* SPIDERNET_CUDA_H */
