// Driver and device query: what `spidernet info` and the backend's availability probe report.
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <cstring>

#include "spidernet_cuda.h"

namespace {

void copy_text(const char* text, char* destination, int capacity) {
    if (destination == nullptr || capacity <= 0) return;
    std::strncpy(destination, text, static_cast<size_t>(capacity) - 1);
    destination[capacity - 1] = '\0';
}

}  // namespace

// The static runtime loads libcuda.so.1 itself, but on failure only says "insufficient driver";
// loading it here first gives the user the loader's own reason (missing file, wrong ELF class...).
extern "C" int snc_driver_probe(char* message, int capacity) {
#if defined(SNC_EMULATED_DEVICE)
    // the emulated device needs no driver
    copy_text("", message, capacity);
    return SNC_OK;
#endif
    void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (driver == nullptr) {
        const char* reason = dlerror();
        copy_text(reason != nullptr ? reason : "libcuda.so.1: cannot be loaded", message, capacity);
        return SNC_ERR_NO_DRIVER;
    }
    dlclose(driver);
    copy_text("", message, capacity);
    return SNC_OK;
}

extern "C" int snc_runtime_version(int* version) {
    if (version == nullptr) return SNC_ERR_ARGUMENT;
    return static_cast<int>(cudaRuntimeGetVersion(version));
}

extern "C" int snc_driver_version(int* version) {
    if (version == nullptr) return SNC_ERR_ARGUMENT;
    return static_cast<int>(cudaDriverGetVersion(version));
}

extern "C" int snc_device_count(int* count) {
    if (count == nullptr) return SNC_ERR_ARGUMENT;
    *count = 0;
    return static_cast<int>(cudaGetDeviceCount(count));
}

extern "C" int snc_device_properties(int device, char* name, int name_capacity, int* compute_major,
                                     int* compute_minor, int* multiprocessors) {
    if (compute_major == nullptr || compute_minor == nullptr || multiprocessors == nullptr) return SNC_ERR_ARGUMENT;
    cudaDeviceProp properties;
    const cudaError_t status = cudaGetDeviceProperties(&properties, device);
    if (status != cudaSuccess) return static_cast<int>(status);
    copy_text(properties.name, name, name_capacity);
    *compute_major = properties.major;
    *compute_minor = properties.minor;
    *multiprocessors = properties.multiProcessorCount;
    return SNC_OK;
}

extern "C" int snc_device_memory(int device, int64_t* free_bytes, int64_t* total_bytes) {
    if (free_bytes == nullptr || total_bytes == nullptr) return SNC_ERR_ARGUMENT;
    cudaError_t status = cudaSetDevice(device);
    if (status != cudaSuccess) return static_cast<int>(status);
    size_t available = 0;
    size_t total = 0;
    status = cudaMemGetInfo(&available, &total);
    if (status != cudaSuccess) return static_cast<int>(status);
    *free_bytes = static_cast<int64_t>(available);
    *total_bytes = static_cast<int64_t>(total);
    return SNC_OK;
}
