// Channel concatenation (a DARTS cell's output, the two halves of a factorized reduction),
// forward and backward, one input's channel block per launch.
//
// Data layout: NCHW dense row-major float32. x / dx: [N, C_j, H, W]; y / dy: [N, C, H, W] with the
// block at channels [offset, offset + C_j). Per sample the block is one contiguous run of
// R = C_j * H * W elements at element offset * H * W of the sample, so element i of x maps to
// y[(i / R) * C * H * W + offset * H * W + i % R].
//
// Launch shape: grid (min(ceil(N*R/256), 8192)), block 256, grid-stride over the block's N*R
// elements, consecutive threads on consecutive elements of one run (coalesced on both sides).
//
// Bytes and FLOPs per launch (E_j = N*R): forward 8*E_j, 0 FLOPs; backward 12*E_j, E_j FLOPs.
//
// Race freedom: the map from x's elements to y's is one to one, so each y (forward) or dx
// (backward) element has exactly one writer; launches of one concatenation write disjoint blocks
// of y (forward) or different dx tensors (backward, the SPI refuses a repeated dx).

#include "concat.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

__global__ void __launch_bounds__(kStreamThreads)
concat_channels_forward_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t count, int64_t run,
                               int64_t sample, int64_t start) {
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        y[(i / run) * sample + start + i % run] = x[i];
    }
}

__global__ void __launch_bounds__(kStreamThreads)
concat_channels_backward_kernel(const float* __restrict__ dy, float* __restrict__ dx, int64_t count, int64_t run,
                                int64_t sample, int64_t start) {
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        dx[i] += dy[(i / run) * sample + start + i % run];
    }
}

}  // namespace

cudaError_t launch_concat_channels_forward(cudaStream_t stream, const float* x, float* y, int64_t batch, int channels,
                                           int total_channels, int channel_offset, int64_t plane) {
    if (!valid_concat_block(batch, channels, total_channels, channel_offset, plane)) return cudaErrorInvalidValue;
    const int64_t run = channels * plane;
    const int64_t count = batch * run;
    if (count == 0) return cudaSuccess;
    concat_channels_forward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(
        x, y, count, run, total_channels * plane, channel_offset * plane);
    return cudaGetLastError();
}

cudaError_t launch_concat_channels_backward(cudaStream_t stream, const float* dy, float* dx, int64_t batch,
                                            int channels, int total_channels, int channel_offset, int64_t plane) {
    if (!valid_concat_block(batch, channels, total_channels, channel_offset, plane)) return cudaErrorInvalidValue;
    const int64_t run = channels * plane;
    const int64_t count = batch * run;
    if (count == 0) return cudaSuccess;
    concat_channels_backward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(
        dy, dx, count, run, total_channels * plane, channel_offset * plane);
    return cudaGetLastError();
}

}  // namespace snc
