// Error state of the emulated device: the per-thread last error, the device's sticky error, the
// detectors' fault log, and the runtime's error names and strings.
#include <cstdio>
#include <string>

#include "internal.hpp"
#include "snc_emu/control.h"

namespace snc_emu {

namespace {

thread_local cudaError_t last_error = cudaSuccess;

// Guarded by device_lock().
cudaError_t sticky = cudaSuccess;
int fault_count = 0;
std::string last_fault;

}  // namespace

std::recursive_mutex& device_lock() {
    static std::recursive_mutex lock;
    return lock;
}

cudaError_t fail(cudaError_t error) {
    if (error != cudaSuccess) last_error = error;
    return error;
}

cudaError_t sticky_error() { return sticky; }

void report_fault(cudaError_t code, const std::string& text) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    fault_count++;
    last_fault = text;
    if (sticky == cudaSuccess) sticky = code;
    if (!settings().quiet) std::fprintf(stderr, "snc-emu: %s\n", text.c_str());
}

std::string describe_site(const char* kernel, uint3 block, uint3 thread) {
    char text[160];
    std::snprintf(text, sizeof text, "kernel %s block (%u,%u,%u) thread (%u,%u,%u)", kernel, block.x, block.y,
                  block.z, thread.x, thread.y, thread.z);
    return text;
}

}  // namespace snc_emu

using snc_emu::device_lock;

cudaError_t cudaGetLastError(void) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    const cudaError_t error = snc_emu::sticky != cudaSuccess ? snc_emu::sticky : snc_emu::last_error;
    snc_emu::last_error = cudaSuccess;
    return error;
}

cudaError_t cudaPeekAtLastError(void) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    return snc_emu::sticky != cudaSuccess ? snc_emu::sticky : snc_emu::last_error;
}

const char* cudaGetErrorName(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInitializationError: return "cudaErrorInitializationError";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
        case cudaErrorInvalidDeviceFunction: return "cudaErrorInvalidDeviceFunction";
        case cudaErrorNoDevice: return "cudaErrorNoDevice";
        case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
        case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
        case cudaErrorIllegalState: return "cudaErrorIllegalState";
        case cudaErrorNotReady: return "cudaErrorNotReady";
        case cudaErrorIllegalAddress: return "cudaErrorIllegalAddress";
        case cudaErrorLaunchOutOfResources: return "cudaErrorLaunchOutOfResources";
        case cudaErrorAssert: return "cudaErrorAssert";
        case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
        case cudaErrorNotPermitted: return "cudaErrorNotPermitted";
        case cudaErrorNotSupported: return "cudaErrorNotSupported";
        case cudaErrorStreamCaptureUnsupported: return "cudaErrorStreamCaptureUnsupported";
        case cudaErrorStreamCaptureInvalidated: return "cudaErrorStreamCaptureInvalidated";
        case cudaErrorStreamCaptureUnmatched: return "cudaErrorStreamCaptureUnmatched";
        case cudaErrorStreamCaptureImplicit: return "cudaErrorStreamCaptureImplicit";
        case cudaErrorStreamCaptureWrongThread: return "cudaErrorStreamCaptureWrongThread";
        case cudaErrorUnknown: return "cudaErrorUnknown";
    }
    return "cudaErrorUnknown";
}

namespace {

const char* plain_string(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "no error";
        case cudaErrorInvalidValue: return "invalid argument";
        case cudaErrorMemoryAllocation: return "out of memory";
        case cudaErrorInitializationError: return "initialization error";
        case cudaErrorInvalidConfiguration: return "invalid configuration argument";
        case cudaErrorInsufficientDriver: return "CUDA driver version is insufficient for CUDA runtime version";
        case cudaErrorInvalidDeviceFunction: return "invalid device function";
        case cudaErrorNoDevice: return "no CUDA-capable device is detected";
        case cudaErrorInvalidDevice: return "invalid device ordinal";
        case cudaErrorInvalidResourceHandle: return "invalid resource handle";
        case cudaErrorIllegalState: return "the operation cannot be performed in the present state";
        case cudaErrorNotReady: return "device not ready";
        case cudaErrorIllegalAddress: return "an illegal memory access was encountered";
        case cudaErrorLaunchOutOfResources: return "too many resources requested for launch";
        case cudaErrorAssert: return "device-side assert triggered";
        case cudaErrorLaunchFailure: return "unspecified launch failure";
        case cudaErrorNotPermitted: return "operation not permitted";
        case cudaErrorNotSupported: return "operation not supported";
        case cudaErrorStreamCaptureUnsupported: return "operation not permitted when stream is capturing";
        case cudaErrorStreamCaptureInvalidated: return "operation failed due to a previous error during capture";
        case cudaErrorStreamCaptureUnmatched: return "capture was not initiated in this stream";
        case cudaErrorStreamCaptureImplicit: return "operation would make the legacy stream depend on a capturing blocking stream";
        case cudaErrorStreamCaptureWrongThread: return "attempt to terminate a thread-local capture sequence from another thread";
        case cudaErrorUnknown: return "unknown error";
    }
    return "unknown error";
}

}  // namespace

// For the sticky fault codes the emulator appends the detector's report, so that the message the
// Java side shows says which kernel and thread failed and why.
const char* cudaGetErrorString(cudaError_t error) {
    thread_local std::string text;
    text = plain_string(error);
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    if (error != cudaSuccess && error == snc_emu::sticky && !snc_emu::last_fault.empty()) {
        text += " [emulated device: " + snc_emu::last_fault + "]";
    }
    return text.c_str();
}

extern "C" int snc_emu_fault_count(void) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    return snc_emu::fault_count;
}

extern "C" const char* snc_emu_last_fault(void) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    return snc_emu::last_fault.c_str();
}

extern "C" void snc_emu_clear_faults(void) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    snc_emu::fault_count = 0;
    snc_emu::last_fault.clear();
    snc_emu::sticky = cudaSuccess;
    snc_emu::last_error = cudaSuccess;
}
