// Kernels with the faults each detector of the emulated device must report, each beside the same
// kernel fixed (a flag), which must pass. Run by selftest.cpp, one case per process.
#include <cuda_runtime.h>

#include "detector_kernels.cuh"

namespace {

constexpr int kThreads = 64;

// Each thread adds its right neighbour's staged value: without the barrier a thread may read the
// neighbour's slot before the neighbour wrote it (a missing __syncthreads).
__global__ void __launch_bounds__(kThreads) neighbour_sum_kernel(const float* x, float* y, int with_barrier) {
    __shared__ float staged[kThreads];
    const int t = threadIdx.x;
    staged[t] = x[t];
    if (with_barrier) __syncthreads();
    y[t] = staged[t] + staged[(t + 1) % kThreads];
}

// Every thread writes the shared slot (a racy update: the value left depends on which thread
// wrote last); fixed, thread 0 alone writes it.
__global__ void __launch_bounds__(kThreads) shared_winner_kernel(int* y, int only_thread_zero) {
    __shared__ int winner;
    const int t = threadIdx.x;
    if (!only_thread_zero || t == 0) winner = t;
    __syncthreads();
    y[t] = winner;
}

// Reads x[t + shift]: with shift 1 the last thread reads one element past the buffer.
__global__ void __launch_bounds__(kThreads) shifted_copy_kernel(const float* x, float* y, int n, int shift) {
    const int t = threadIdx.x;
    if (t < n) y[t] = x[t + shift];
}

// Writes y[t + shift]: with shift 1 the last thread writes one element past the buffer.
__global__ void __launch_bounds__(kThreads) shifted_store_kernel(float* y, int n, int shift) {
    const int t = threadIdx.x;
    if (t < n) y[t + shift] = 1.0f;
}

// The upper half of the warp returns, then the lower half shuffles: with the full mask the
// shuffle names lanes that have exited; fixed, it names the 16 lanes left, within width 16.
__global__ void __launch_bounds__(32) half_warp_shuffle_kernel(const float* x, float* y, int fixed) {
    const int t = threadIdx.x;
    if (t >= 16) return;
    const float v = x[t];
    y[t] = fixed ? __shfl_down_sync(0x0000ffffu, v, 1, 16) : __shfl_down_sync(0xffffffffu, v, 1);
}

// The first warp waits at a barrier the second warp never reaches (it waits at another one).
__global__ void __launch_bounds__(kThreads) divergent_barrier_kernel(const float* x, float* y, int fixed) {
    const int t = threadIdx.x;
    if (fixed || t < 32) __syncthreads();
    y[t] = x[t] * 2.0f;
    __syncthreads();
}

// Doubles x: reading memory never written when the caller skipped the upload.
__global__ void __launch_bounds__(kThreads) double_kernel(const float* x, float* y, int n) {
    const int t = threadIdx.x;
    if (t < n) y[t] = x[t] * 2.0f;
}

// Sums the warp with shuffles: a ballot and a full-warp reduction that must equal the host's.
__global__ void __launch_bounds__(kThreads) warp_sum_kernel(const float* x, float* y, unsigned* votes) {
    const int t = threadIdx.x;
    float v = x[t];
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
    const unsigned ballot = __ballot_sync(0xffffffffu, x[t] > 0.0f);
    if (t % 32 == 0) {
        y[t / 32] = v;
        votes[t / 32] = ballot;
    }
}

}  // namespace

cudaError_t launch_neighbour_sum(const float* x, float* y, bool with_barrier) {
    neighbour_sum_kernel<<<1, kThreads>>>(x, y, with_barrier ? 1 : 0);
    return cudaGetLastError();
}

cudaError_t launch_shared_winner(int* y, bool only_thread_zero) {
    shared_winner_kernel<<<1, kThreads>>>(y, only_thread_zero ? 1 : 0);
    return cudaGetLastError();
}

cudaError_t launch_shifted_copy(const float* x, float* y, int n, int shift) {
    shifted_copy_kernel<<<1, kThreads>>>(x, y, n, shift);
    return cudaGetLastError();
}

cudaError_t launch_shifted_store(float* y, int n, int shift) {
    shifted_store_kernel<<<1, kThreads>>>(y, n, shift);
    return cudaGetLastError();
}

cudaError_t launch_half_warp_shuffle(const float* x, float* y, bool fixed) {
    half_warp_shuffle_kernel<<<1, 32>>>(x, y, fixed ? 1 : 0);
    return cudaGetLastError();
}

cudaError_t launch_divergent_barrier(const float* x, float* y, bool fixed) {
    divergent_barrier_kernel<<<1, kThreads>>>(x, y, fixed ? 1 : 0);
    return cudaGetLastError();
}

cudaError_t launch_double(const float* x, float* y, int n) {
    double_kernel<<<1, kThreads>>>(x, y, n);
    return cudaGetLastError();
}

cudaError_t launch_warp_sum(const float* x, float* y, unsigned* votes) {
    warp_sum_kernel<<<1, kThreads>>>(x, y, votes);
    return cudaGetLastError();
}

cudaError_t launch_double_with_block(const float* x, float* y, int n, int threads) {
    double_kernel<<<1, threads>>>(x, y, n);
    return cudaGetLastError();
}
