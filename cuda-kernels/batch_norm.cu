// BatchNorm over N, H, W per channel: training forward (batch statistics, saved for backward,
// running statistics updated), evaluation forward, and the training-mode backward.
//
// Data layout: x, y, dy, dx [N, C, H, W] dense row-major float32 (element (n, c, s) at
// (n * C + c) * plane + s with plane = H * W); per-channel tensors [C] float32.
//
// Launch shapes:
//   train     grid (C), block 512: one block per channel, three passes over its N * plane values
//   eval      grid (min(ceil(N*C*plane/256), 8192)), block 256, grid-stride
//   backward  grid (C), block 512: one block per channel, two passes
//
// Bytes and FLOPs per call (E = N * C * plane):
//   train     reads 12 * E (x three times), writes 4 * E + 16 * C; ~8 * E FLOPs (half in float64)
//   eval      reads 4 * E, writes 4 * E; 3 * E FLOPs
//   backward  reads 16 * E (x, dy twice; dx once), writes 4 * E + 8 * C; ~10 * E FLOPs
//
// Reduction strategy (no races by construction, no atomics, deterministic): a channel's
// statistics are reduced by the one block that owns the channel, in float64, each thread over a
// fixed strided slice and then block_sum's fixed tree. The mean is subtracted before squaring (two
// passes, as the reference does), so no cancellation. Thread 0 alone writes the per-channel
// outputs; the block's other threads only write the channel's own elements of y / dx. Between two
// block_sum calls a __syncthreads (after thread 0 has published the sum in shared memory) keeps
// the second call's writes to the warp totals from overtaking the first call's reads.

#include "batch_norm.cuh"

#include "block_reduce.cuh"
#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kChannelThreads = 512;

// Element j of channel c, j in [0, batch * plane): sample j / plane, position j % plane.
__device__ __forceinline__ int64_t channel_element(int64_t j, int c, int channels, int64_t plane) {
    return ((j / plane) * channels + c) * plane + (j % plane);
}

__global__ void __launch_bounds__(kChannelThreads)
batch_norm_train_kernel(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                        float* __restrict__ y, float* __restrict__ save_mean, float* __restrict__ save_inv_std,
                        float* __restrict__ run_mean, float* __restrict__ run_var, int channels, int64_t count,
                        int64_t plane, float momentum, float eps) {
    __shared__ double shared_mean;
    __shared__ double shared_inv_std;
    const int c = blockIdx.x;
    const int t = threadIdx.x;

    double sum = 0.0;
    for (int64_t j = t; j < count; j += kChannelThreads) sum += x[channel_element(j, c, channels, plane)];
    sum = block_sum<kChannelThreads>(sum, t);
    if (t == 0) shared_mean = sum / static_cast<double>(count);
    __syncthreads();
    const double mean = shared_mean;

    double squares = 0.0;
    for (int64_t j = t; j < count; j += kChannelThreads) {
        const double deviation = x[channel_element(j, c, channels, plane)] - mean;
        squares += deviation * deviation;
    }
    squares = block_sum<kChannelThreads>(squares, t);
    if (t == 0) {
        const double biased = squares / static_cast<double>(count);
        const double inv_std = 1.0 / sqrt(biased + static_cast<double>(eps));
        shared_inv_std = inv_std;
        save_mean[c] = static_cast<float>(mean);
        save_inv_std[c] = static_cast<float>(inv_std);
        const double unbiased = squares / static_cast<double>(count - 1);
        const double m = momentum;
        run_mean[c] = static_cast<float>((1.0 - m) * run_mean[c] + m * mean);
        run_var[c] = static_cast<float>((1.0 - m) * run_var[c] + m * unbiased);
    }
    __syncthreads();
    // (x - mean) in float32 before scaling: exact enough where |mean| >> std, unlike x * scale + shift
    const float scale = static_cast<float>(gamma[c] * shared_inv_std);
    const float mean_f = static_cast<float>(mean);
    const float shift = beta[c];
    for (int64_t j = t; j < count; j += kChannelThreads) {
        const int64_t i = channel_element(j, c, channels, plane);
        y[i] = fmaf(scale, x[i] - mean_f, shift);
    }
}

__global__ void __launch_bounds__(kStreamThreads)
batch_norm_eval_kernel(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                       const float* __restrict__ run_mean, const float* __restrict__ run_var, float* __restrict__ y,
                       int channels, int64_t plane, int64_t total, float eps) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < total; i += stride) {
        const int c = static_cast<int>((i / plane) % channels);
        const float inv_std = rsqrtf(run_var[c] + eps);
        y[i] = gamma[c] * (x[i] - run_mean[c]) * inv_std + beta[c];
    }
}

__global__ void __launch_bounds__(kChannelThreads)
batch_norm_backward_kernel(const float* __restrict__ x, const float* __restrict__ dy, const float* __restrict__ gamma,
                           const float* __restrict__ save_mean, const float* __restrict__ save_inv_std,
                           float* __restrict__ dx, float* __restrict__ d_gamma, float* __restrict__ d_beta,
                           int channels, int64_t count, int64_t plane) {
    __shared__ double shared_sum_dy;
    __shared__ double shared_sum_dy_xhat;
    const int c = blockIdx.x;
    const int t = threadIdx.x;
    const double mean = save_mean[c];
    const double inv_std = save_inv_std[c];

    double sum_dy = 0.0;
    double sum_dy_xhat = 0.0;
    for (int64_t j = t; j < count; j += kChannelThreads) {
        const int64_t i = channel_element(j, c, channels, plane);
        const double g = dy[i];
        sum_dy += g;
        sum_dy_xhat += g * (x[i] - mean) * inv_std;
    }
    sum_dy = block_sum<kChannelThreads>(sum_dy, t);
    if (t == 0) shared_sum_dy = sum_dy;
    __syncthreads();
    sum_dy_xhat = block_sum<kChannelThreads>(sum_dy_xhat, t);
    if (t == 0) {
        shared_sum_dy_xhat = sum_dy_xhat;
        d_gamma[c] += static_cast<float>(sum_dy_xhat);
        d_beta[c] += static_cast<float>(shared_sum_dy);
    }
    __syncthreads();
    // dx = gamma * inv_std / m * (m * dy - sum dy - xhat * sum(dy * xhat)), m = count
    const double m = static_cast<double>(count);
    const float a = static_cast<float>(gamma[c] * inv_std);                      // multiplies dy
    const float b = static_cast<float>(-gamma[c] * inv_std * shared_sum_dy / m);  // constant term
    const float k = static_cast<float>(-gamma[c] * inv_std * inv_std * shared_sum_dy_xhat / m);  // multiplies x - mean
    const float mean_f = static_cast<float>(mean);
    for (int64_t j = t; j < count; j += kChannelThreads) {
        const int64_t i = channel_element(j, c, channels, plane);
        dx[i] += fmaf(a, dy[i], fmaf(k, x[i] - mean_f, b));
    }
}

}  // namespace

cudaError_t launch_batch_norm_train(cudaStream_t stream, const float* x, const float* gamma, const float* beta,
                                    float* y, float* save_mean, float* save_inv_std, float* run_mean, float* run_var,
                                    int batch, int channels, int64_t plane, float momentum, float eps) {
    if (batch < 1 || channels < 1 || plane < 1 || !(eps > 0.0f)) return cudaErrorInvalidValue;
    const int64_t count = static_cast<int64_t>(batch) * plane;
    if (count < 2) return cudaErrorInvalidValue;
    batch_norm_train_kernel<<<static_cast<unsigned>(channels), kChannelThreads, 0, stream>>>(
        x, gamma, beta, y, save_mean, save_inv_std, run_mean, run_var, channels, count, plane, momentum, eps);
    return cudaGetLastError();
}

cudaError_t launch_batch_norm_eval(cudaStream_t stream, const float* x, const float* gamma, const float* beta,
                                   const float* run_mean, const float* run_var, float* y, int batch, int channels,
                                   int64_t plane, float eps) {
    if (batch < 1 || channels < 1 || plane < 1 || !(eps > 0.0f)) return cudaErrorInvalidValue;
    const int64_t total = static_cast<int64_t>(batch) * channels * plane;
    batch_norm_eval_kernel<<<stream_blocks(total, kStreamThreads), kStreamThreads, 0, stream>>>(
        x, gamma, beta, run_mean, run_var, y, channels, plane, total, eps);
    return cudaGetLastError();
}

cudaError_t launch_batch_norm_backward(cudaStream_t stream, const float* x, const float* dy, const float* gamma,
                                       const float* save_mean, const float* save_inv_std, float* dx, float* d_gamma,
                                       float* d_beta, int batch, int channels, int64_t plane) {
    if (batch < 1 || channels < 1 || plane < 1) return cudaErrorInvalidValue;
    batch_norm_backward_kernel<<<static_cast<unsigned>(channels), kChannelThreads, 0, stream>>>(
        x, dy, gamma, save_mean, save_inv_std, dx, d_gamma, d_beta, channels, static_cast<int64_t>(batch) * plane,
        plane);
    return cudaGetLastError();
}

}  // namespace snc
