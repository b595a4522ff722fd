// Elementwise kernels over a flat float32 array (any layout: each element is independent).
// copy is not here: the C API queues it as a device-to-device cudaMemcpyAsync.
//
// Launch shape (both kernels): grid (min(ceil(count/256), 8192)), block 256, grid-stride loop.
// Race freedom: thread i alone reads and writes element i (and i + k * stride), so in-place
// calls (x == y for axpy) are safe and the result does not depend on scheduling.

#include "elementwise.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

// t[i] = value. Bytes moved: 4 per element (write). FLOPs: 0.
__global__ void __launch_bounds__(kStreamThreads) fill_kernel(float* t, float value, int64_t count) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        t[i] = value;
    }
}

// y[i] += alpha * x[i]. Bytes moved: 12 per element. FLOPs: 2 per element (one FMA).
// No __restrict__: x may be y.
__global__ void __launch_bounds__(kStreamThreads) axpy_kernel(float alpha, const float* x, float* y, int64_t count) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        y[i] = fmaf(alpha, x[i], y[i]);
    }
}

}  // namespace

cudaError_t launch_fill(cudaStream_t stream, float* t, float value, int64_t count) {
    if (count < 0) return cudaErrorInvalidValue;
    if (count == 0) return cudaSuccess;
    fill_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(t, value, count);
    return cudaGetLastError();
}

cudaError_t launch_axpy(cudaStream_t stream, float alpha, const float* x, float* y, int64_t count) {
    if (count < 0) return cudaErrorInvalidValue;
    if (count == 0) return cudaSuccess;
    axpy_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(alpha, x, y, count);
    return cudaGetLastError();
}

}  // namespace snc
