// Gated mixed-op kernels: the forward accumulation of one candidate op into its node and the gate
// gradient of the backward pass.
//
// Data layout: every tensor is dense and row-major with the sample (batch) index outermost, so
// sample n of a [samples, per_sample] view starts at n * per_sample (an NCHW tensor flattens to
// per_sample = C*H*W). The per-sample factor lives in device memory, not in kernel parameters, so
// a captured CUDA graph can be replayed with new gates and drop-path masks.
//
// Launch shapes:
//   scale_add_per_sample_kernel    grid (min(ceil(per_sample/256), 8192), samples), block 256
//   dot_per_sample_partial_kernel  grid (dot_blocks_per_sample(per_sample), samples), block 256
//   dot_per_sample_finish_kernel   grid (samples), block 32 (one warp per sample)
// samples <= 65535 (gridDim.y limit); the launchers check it.

#include "gated_accumulate.cuh"

#include "block_reduce.cuh"
#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kDotThreads = 256;
// Elements one partial-dot thread handles before the grid is widened; with 2048 elements per
// block a block streams 16 KiB, long enough to hide its reduction and launch cost.
constexpr int64_t kDotElementsPerThread = 8;
constexpr int64_t kDotMaxBlocksPerSample = 512;

// Blocks per sample of the partial dot. Depends on per_sample only (never on the device's SM
// count), so the summation order, hence the result bits, is the same on every GPU.
int64_t dot_blocks_per_sample(int64_t per_sample) {
    const int64_t per_block = kDotThreads * kDotElementsPerThread;
    int64_t blocks = (per_sample + per_block - 1) / per_block;
    if (blocks < 1) blocks = 1;  // per_sample == 0 still writes a zero partial
    return blocks > kDotMaxBlocksPerSample ? kDotMaxBlocksPerSample : blocks;
}

// y[n, i] += scale[n] * x[n, i].
// Bytes moved: 12 per element (read x, read y, write y) + 4 per sample. FLOPs: 2 per element (one FMA).
// No shortcut for scale[n] == 0 (a dropped path): 0 * inf must still give NaN, as in the
// reference backend, so a diverging candidate is not hidden by its mask.
__global__ void __launch_bounds__(kStreamThreads)
scale_add_per_sample_kernel(const float* __restrict__ x, const float* __restrict__ scale,
                            float* __restrict__ y, int64_t per_sample) {
    const int64_t sample = blockIdx.y;
    const float s = scale[sample];
    const float* xs = x + sample * per_sample;
    float* ys = y + sample * per_sample;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < per_sample; i += stride) {
        ys[i] = fmaf(s, xs[i], ys[i]);
    }
}

// partial[n, blockIdx.x] = sum over this block's grid-stride slice of a[n, i] * b[n, i].
// Bytes moved: 8 per element read + 8 per block written. FLOPs: 2 per element.
// Products and sums are float64: a float32 product is exact in float64, so the only rounding is
// in the additions, and the gate gradient stays accurate for large tensors. The kernel remains
// bandwidth-bound even where float64 runs at 1/64 of the float32 rate.
__global__ void __launch_bounds__(kDotThreads)
dot_per_sample_partial_kernel(const float* __restrict__ a, const float* __restrict__ b, int64_t per_sample,
                              double* __restrict__ partial) {
    const int64_t sample = blockIdx.y;
    const float* as = a + sample * per_sample;
    const float* bs = b + sample * per_sample;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kDotThreads;
    double acc = 0.0;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kDotThreads + threadIdx.x; i < per_sample; i += stride) {
        acc = fma(static_cast<double>(as[i]), static_cast<double>(bs[i]), acc);
    }
    acc = block_sum<kDotThreads>(acc, threadIdx.x);
    if (threadIdx.x == 0) partial[sample * gridDim.x + blockIdx.x] = acc;
}

// out[n] = sum over b < blocks_per_sample of partial[n, b], in a fixed order.
// Bytes moved: 8 per partial read + 8 per sample written. FLOPs: 1 per partial.
__global__ void __launch_bounds__(32)
dot_per_sample_finish_kernel(const double* __restrict__ partial, int blocks_per_sample, double* __restrict__ out) {
    const int64_t sample = blockIdx.x;
    const double* ps = partial + sample * blocks_per_sample;
    double acc = 0.0;
    for (int i = threadIdx.x; i < blocks_per_sample; i += 32) acc += ps[i];
    acc = warp_sum(acc);
    if (threadIdx.x == 0) out[sample] = acc;
}

}  // namespace

cudaError_t launch_scale_add_per_sample(cudaStream_t stream, const float* x, const float* scale, float* y,
                                        int samples, int64_t per_sample) {
    if (samples < 0 || samples > kMaxGridY || per_sample < 0) return cudaErrorInvalidValue;
    if (samples == 0 || per_sample == 0) return cudaSuccess;
    const dim3 grid(stream_blocks(per_sample, kStreamThreads), static_cast<unsigned>(samples));
    scale_add_per_sample_kernel<<<grid, kStreamThreads, 0, stream>>>(x, scale, y, per_sample);
    return cudaGetLastError();
}

int64_t dot_per_sample_workspace_bytes(int samples, int64_t per_sample) {
    if (samples <= 0) return 0;
    return static_cast<int64_t>(samples) * dot_blocks_per_sample(per_sample) * static_cast<int64_t>(sizeof(double));
}

cudaError_t launch_dot_per_sample(cudaStream_t stream, const float* a, const float* b, int samples,
                                  int64_t per_sample, double* workspace, double* out) {
    if (samples < 0 || samples > kMaxGridY || per_sample < 0) return cudaErrorInvalidValue;
    if (samples == 0) return cudaSuccess;
    const int64_t blocks = dot_blocks_per_sample(per_sample);
    const dim3 grid(static_cast<unsigned>(blocks), static_cast<unsigned>(samples));
    dot_per_sample_partial_kernel<<<grid, kDotThreads, 0, stream>>>(a, b, per_sample, workspace);
    cudaError_t status = cudaGetLastError();
    if (status != cudaSuccess) return status;
    dot_per_sample_finish_kernel<<<static_cast<unsigned>(samples), 32, 0, stream>>>(
        workspace, static_cast<int>(blocks), out);
    return cudaGetLastError();
}

}  // namespace snc
