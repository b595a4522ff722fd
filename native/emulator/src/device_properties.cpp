// The device the emulator states: one sm_90 device (the H100's compute capability, multiprocessor
// count and limits), with the memory capacity set for the emulator. Versions are those of the
// runtime header the emulated build stands in for.
#include <cstring>

#include "internal.hpp"
#include "snc_emu/control.h"

namespace {

constexpr int kDevices = 1;
constexpr int kVersion = CUDART_VERSION;

}  // namespace

using snc_emu::fail;

cudaError_t cudaRuntimeGetVersion(int* version) {
    if (version == nullptr) return fail(cudaErrorInvalidValue);
    *version = kVersion;
    return cudaSuccess;
}

cudaError_t cudaDriverGetVersion(int* version) {
    if (version == nullptr) return fail(cudaErrorInvalidValue);
    *version = kVersion;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceCount(int* count) {
    if (count == nullptr) return fail(cudaErrorInvalidValue);
    *count = kDevices;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp* properties, int device) {
    if (properties == nullptr) return fail(cudaErrorInvalidValue);
    if (device < 0 || device >= kDevices) return fail(cudaErrorInvalidDevice);
    std::memset(properties, 0, sizeof *properties);
    std::strncpy(properties->name, "SpiderNet emulated CUDA device (sm_90)", sizeof properties->name - 1);
    properties->totalGlobalMem = static_cast<size_t>(snc_emu_capacity());
    properties->sharedMemPerBlock = 48 * 1024;
    properties->warpSize = 32;
    properties->maxThreadsPerBlock = 1024;
    properties->maxThreadsDim[0] = 1024;
    properties->maxThreadsDim[1] = 1024;
    properties->maxThreadsDim[2] = 64;
    properties->maxGridSize[0] = 0x7FFFFFFF;
    properties->maxGridSize[1] = 65535;
    properties->maxGridSize[2] = 65535;
    properties->major = 9;
    properties->minor = 0;
    properties->multiProcessorCount = 132;
    return cudaSuccess;
}

namespace {
thread_local int current_device = 0;
}

cudaError_t cudaSetDevice(int device) {
    if (device < 0 || device >= kDevices) return fail(cudaErrorInvalidDevice);
    current_device = device;
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
    if (device == nullptr) return fail(cudaErrorInvalidValue);
    *device = current_device;
    return cudaSuccess;
}
