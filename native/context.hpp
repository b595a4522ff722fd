// The context behind the opaque snc_context handle, shared by the C API's translation units.
#pragma once

#include <cuda_runtime.h>

#include "spidernet_cuda.h"

struct snc_context {
    int device;
    cudaStream_t stream;
    // Allocations come from this pool in stream order; it keeps freed blocks (release threshold
    // at maximum) so that steady-state training never calls into the driver to allocate.
    cudaMemPool_t pool;
};

namespace snc {

// Makes the context's device current on the calling thread. Java may call in from any thread
// and the current device is per thread, so every entry point taking a context starts here.
// It also clears the thread's last error: a non-sticky failure of an earlier call (an invalid
// argument, a failed allocation) stays the last error, and the launchers report a launch's outcome
// with cudaGetLastError, which would blame the stale failure on a correct launch. A sticky error
// (a faulted kernel) is not cleared by this and is still reported.
inline int bind(snc_context* context) {
    if (context == nullptr) return SNC_ERR_ARGUMENT;
    const cudaError_t status = cudaSetDevice(context->device);
    if (status != cudaSuccess) return static_cast<int>(status);
    cudaGetLastError();
    return SNC_OK;
}

}  // namespace snc
