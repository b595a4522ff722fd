// ReLU forward and backward over a flat float32 array (any layout: the op is elementwise).
//
// Launch shape (both kernels): grid (min(ceil(count/256), 8192)), block 256, grid-stride loop.

#include "relu.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

// y[i] = max(x[i], 0). Bytes moved: 8 per element. FLOPs: 1 per element (the compare).
// Written as "x < 0 ? 0 : x" rather than fmaxf so that a NaN input stays NaN and a diverging
// network is noticed, instead of being silently clamped to zero. No __restrict__: in-place is allowed.
__global__ void __launch_bounds__(kStreamThreads)
relu_forward_kernel(const float* x, float* y, int64_t count) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const float v = x[i];
        y[i] = v < 0.0f ? 0.0f : v;
    }
}

// dx[i] += x[i] > 0 ? dy[i] : 0 (backward ops accumulate, see Backend.java).
// Bytes moved: 16 per element (read x, dy, dx; write dx). FLOPs: 2 per element.
// No __restrict__: the SPI lets elementwise ops run in place, so dx may be dy or x.
__global__ void __launch_bounds__(kStreamThreads)
relu_backward_kernel(const float* x, const float* dy, float* dx, int64_t count) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
    }
}

}  // namespace

cudaError_t launch_relu_forward(cudaStream_t stream, const float* x, float* y, int64_t count) {
    if (count < 0) return cudaErrorInvalidValue;
    if (count == 0) return cudaSuccess;
    relu_forward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(x, y, count);
    return cudaGetLastError();
}

cudaError_t launch_relu_backward(cudaStream_t stream, const float* x, const float* dy, float* dx, int64_t count) {
    if (count < 0) return cudaErrorInvalidValue;
    if (count == 0) return cudaSuccess;
    relu_backward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(x, dy, dx, count);
    return cudaGetLastError();
}

}  // namespace snc
