// Status codes to messages.
#include <cuda_runtime.h>

#include <cstdio>

#include "spidernet_cuda.h"

namespace {

// One buffer per thread so that two threads formatting messages at once cannot overwrite each
// other's text before the caller has copied it.
thread_local char message[256];

}  // namespace

extern "C" const char* snc_status_string(int status) {
    switch (status) {
        case SNC_OK: return "success";
        case SNC_ERR_ARGUMENT: return "invalid argument (null pointer, negative size or too small buffer)";
        case SNC_ERR_NO_DRIVER: return "NVIDIA driver library libcuda.so.1 not found";
        case SNC_ERR_OUT_OF_HOST_MEMORY: return "out of host memory";
        default: break;
    }
    if (status < 0) {
        std::snprintf(message, sizeof message, "unknown status %d", status);
        return message;
    }
    const cudaError_t error = static_cast<cudaError_t>(status);
    std::snprintf(message, sizeof message, "%s: %s", cudaGetErrorName(error), cudaGetErrorString(error));
    return message;
}
