// The fully connected head: forward and backward of y = x * w^T + b. The head is tiny (N = batch,
// K = final channels, M = classes), so one thread per output element with a float64 dot product
// is both simple and far from the step's critical path.
//
// Data layout: x [N, K], w [M, K], b [M], y / dy [N, M], dx [N, K], dw [M, K], db [M]; row-major float32.
//
// Launch shapes (grid-stride, block 256, grid min(ceil(elements/256), 8192)):
//   forward        over N*M outputs
//   backward dx    over N*K elements of dx (skipped when dx is null)
//   backward dw    over M*K elements of dw
//   backward db    over M elements of db
//
// Bytes and FLOPs per call: forward reads 4*N*M*(2K) (cache hits), writes 4*N*M, 2*N*M*K FLOPs;
// backward the same three times over (dx, dw; db adds N*M reads).
//
// Reduction strategy (no races by construction, no atomics, deterministic): every output
// element (of y, dx, dw, db) is owned by one thread, which sums its terms in index order in float64
// and writes (forward) or adds (backward) once.

#include "linear.cuh"

#include <cstdint>

#include "launch_shape.cuh"

namespace snc {
namespace {

__global__ void __launch_bounds__(kStreamThreads)
linear_forward_kernel(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
                      float* __restrict__ y, int batch, int in, int out) {
    const int64_t count = static_cast<int64_t>(batch) * out;
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        const int64_t n = i / out;
        const int m = static_cast<int>(i % out);
        const float* xr = x + n * in;
        const float* wr = w + static_cast<int64_t>(m) * in;
        double sum = b[m];
        for (int k = 0; k < in; k++) sum += static_cast<double>(xr[k]) * wr[k];
        y[i] = static_cast<float>(sum);
    }
}

__global__ void __launch_bounds__(kStreamThreads)
linear_backward_data_kernel(const float* __restrict__ w, const float* __restrict__ dy, float* __restrict__ dx,
                            int batch, int in, int out) {
    const int64_t count = static_cast<int64_t>(batch) * in;
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        const int64_t n = i / in;
        const int k = static_cast<int>(i % in);
        double sum = 0.0;
        for (int m = 0; m < out; m++) sum += static_cast<double>(dy[n * out + m]) * w[static_cast<int64_t>(m) * in + k];
        dx[i] += static_cast<float>(sum);
    }
}

__global__ void __launch_bounds__(kStreamThreads)
linear_backward_weight_kernel(const float* __restrict__ x, const float* __restrict__ dy, float* __restrict__ dw,
                              int batch, int in, int out) {
    const int64_t count = static_cast<int64_t>(out) * in;
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        const int m = static_cast<int>(i / in);
        const int k = static_cast<int>(i % in);
        double sum = 0.0;
        for (int n = 0; n < batch; n++) {
            sum += static_cast<double>(dy[static_cast<int64_t>(n) * out + m]) * x[static_cast<int64_t>(n) * in + k];
        }
        dw[i] += static_cast<float>(sum);
    }
}

__global__ void __launch_bounds__(kStreamThreads)
linear_backward_bias_kernel(const float* __restrict__ dy, float* __restrict__ db, int batch, int out) {
    const int step = gridDim.x * kStreamThreads;
    for (int m = blockIdx.x * kStreamThreads + threadIdx.x; m < out; m += step) {
        double sum = 0.0;
        for (int n = 0; n < batch; n++) sum += dy[static_cast<int64_t>(n) * out + m];
        db[m] += static_cast<float>(sum);
    }
}

}  // namespace

cudaError_t launch_linear_forward(cudaStream_t stream, const float* x, const float* w, const float* b, float* y,
                                  int batch, int in, int out) {
    if (batch < 0 || in < 0 || out < 0) return cudaErrorInvalidValue;
    const int64_t count = static_cast<int64_t>(batch) * out;
    if (count == 0) return cudaSuccess;
    linear_forward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(x, w, b, y, batch, in,
                                                                                               out);
    return cudaGetLastError();
}

cudaError_t launch_linear_backward(cudaStream_t stream, const float* x, const float* w, const float* dy, float* dx,
                                   float* dw, float* db, int batch, int in, int out) {
    if (batch < 0 || in < 0 || out < 0) return cudaErrorInvalidValue;
    cudaError_t status = cudaSuccess;
    if (dx != nullptr && static_cast<int64_t>(batch) * in > 0) {
        linear_backward_data_kernel<<<stream_blocks(static_cast<int64_t>(batch) * in, kStreamThreads), kStreamThreads,
                                      0, stream>>>(w, dy, dx, batch, in, out);
        status = cudaGetLastError();
        if (status != cudaSuccess) return status;
    }
    if (static_cast<int64_t>(out) * in > 0) {
        linear_backward_weight_kernel<<<stream_blocks(static_cast<int64_t>(out) * in, kStreamThreads), kStreamThreads,
                                        0, stream>>>(x, dy, dw, batch, in, out);
        status = cudaGetLastError();
        if (status != cudaSuccess) return status;
    }
    if (out > 0) {
        linear_backward_bias_kernel<<<stream_blocks(out, kStreamThreads), kStreamThreads, 0, stream>>>(dy, db, batch,
                                                                                                      out);
        status = cudaGetLastError();
    }
    return status;
}

}  // namespace snc
