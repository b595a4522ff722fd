// Resampling: strided subsampling from an offset (the identity op of a reduction cell's stride-2
// edge at offset 0; factorized reduction's second path, x[:, :, 1::2, 1::2], at offset 1) and global
// average pooling (the head), forward and backward.
//
// Data layout: [P, H, W] planes (P = N * C), dense row-major float32; global pooling's y / dy are [P].
// Subsampling reads x[p, oh*stride + offset, ow*stride + offset] into y [P, OH, OW] with OH =
// ceil(H / stride) for every offset in [0, stride); an output whose input is past the edge is 0.
//
// Launch shapes:
//   subsample fwd/bwd     grid (min(ceil(P*OH*OW/256), 8192)), block 256, grid-stride over outputs
//   global avg forward    grid (min(ceil(P/8), 8192)), block 256: one warp per plane, grid-stride over planes
//   global avg backward   grid (min(ceil(P*plane/256), 8192)), block 256, grid-stride over dx
//
// Bytes and FLOPs per call (E = P*H*W, E_out = P*OH*OW):
//   subsample forward 8*E_out, 0 FLOPs; backward 12*E_out, E_out FLOPs (at most: outputs past the
//   edge read nothing, write 0 forward and nothing backward)
//   global avg forward 4*E + 4*P, E FLOPs (float64 sums); backward 8*E + 4*P, 2*E FLOPs
//
// Race freedom: subsample backward writes dx at (oh*stride + offset, ow*stride + offset), a one-to-one
// map from outputs, so each dx element has at most one writer. Global average pooling: one warp owns a
// plane and sums it in float64 in a fixed order (lane slices, then warp_sum's fixed tree); the
// backward has one thread per dx element.

#include "resample.cuh"

#include "block_reduce.cuh"
#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kWarpsPerBlock = kStreamThreads / 32;

__global__ void __launch_bounds__(kStreamThreads)
subsample_forward_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t planes, int h, int w,
                         int out_h, int out_w, int stride, int offset) {
    const int64_t count = planes * out_h * out_w;
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        const int ow = static_cast<int>(i % out_w);
        const int oh = static_cast<int>((i / out_w) % out_h);
        const int64_t p = i / (static_cast<int64_t>(out_w) * out_h);
        const int64_t ih = static_cast<int64_t>(oh) * stride + offset, iw = static_cast<int64_t>(ow) * stride + offset;
        y[i] = ih < h && iw < w ? x[(p * h + ih) * w + iw] : 0.0f;
    }
}

__global__ void __launch_bounds__(kStreamThreads)
subsample_backward_kernel(const float* __restrict__ dy, float* __restrict__ dx, int64_t planes, int h, int w,
                          int out_h, int out_w, int stride, int offset) {
    const int64_t count = planes * out_h * out_w;
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        const int ow = static_cast<int>(i % out_w);
        const int oh = static_cast<int>((i / out_w) % out_h);
        const int64_t p = i / (static_cast<int64_t>(out_w) * out_h);
        const int64_t ih = static_cast<int64_t>(oh) * stride + offset, iw = static_cast<int64_t>(ow) * stride + offset;
        if (ih < h && iw < w) dx[(p * h + ih) * w + iw] += dy[i];
    }
}

__global__ void __launch_bounds__(kStreamThreads)
global_avg_pool_forward_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t planes, int64_t plane) {
    const int lane = threadIdx.x % 32;
    const int64_t warps = static_cast<int64_t>(gridDim.x) * kWarpsPerBlock;
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * kWarpsPerBlock + threadIdx.x / 32; p < planes; p += warps) {
        const float* xp = x + p * plane;
        double sum = 0.0;
        for (int64_t s = lane; s < plane; s += 32) sum += xp[s];
        sum = warp_sum(sum);  // every lane of the warp takes part: the loop bound is warp-uniform
        if (lane == 0) y[p] = static_cast<float>(sum / static_cast<double>(plane));
    }
}

__global__ void __launch_bounds__(kStreamThreads)
global_avg_pool_backward_kernel(const float* __restrict__ dy, float* __restrict__ dx, int64_t planes, int64_t plane) {
    const int64_t count = planes * plane;
    const int64_t step = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    const float inverse = static_cast<float>(1.0 / static_cast<double>(plane));
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += step) {
        dx[i] += dy[i / plane] * inverse;
    }
}

}  // namespace

cudaError_t launch_subsample_forward(cudaStream_t stream, const float* x, float* y, int64_t planes, int h, int w,
                                     int stride, int offset) {
    if (planes < 0 || h < 1 || w < 1 || stride < 1 || offset < 0 || offset >= stride) return cudaErrorInvalidValue;
    const int out_h = (h + stride - 1) / stride;
    const int out_w = (w + stride - 1) / stride;
    const int64_t count = planes * out_h * out_w;
    if (count == 0) return cudaSuccess;
    subsample_forward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(
        x, y, planes, h, w, out_h, out_w, stride, offset);
    return cudaGetLastError();
}

cudaError_t launch_subsample_backward(cudaStream_t stream, const float* dy, float* dx, int64_t planes, int h, int w,
                                      int stride, int offset) {
    if (planes < 0 || h < 1 || w < 1 || stride < 1 || offset < 0 || offset >= stride) return cudaErrorInvalidValue;
    const int out_h = (h + stride - 1) / stride;
    const int out_w = (w + stride - 1) / stride;
    const int64_t count = planes * out_h * out_w;
    if (count == 0) return cudaSuccess;
    subsample_backward_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(
        dy, dx, planes, h, w, out_h, out_w, stride, offset);
    return cudaGetLastError();
}

cudaError_t launch_global_avg_pool_forward(cudaStream_t stream, const float* x, float* y, int64_t planes,
                                           int64_t plane) {
    if (planes < 0 || plane < 1) return cudaErrorInvalidValue;
    if (planes == 0) return cudaSuccess;
    const unsigned blocks = stream_blocks(planes, kWarpsPerBlock);
    global_avg_pool_forward_kernel<<<blocks, kStreamThreads, 0, stream>>>(x, y, planes, plane);
    return cudaGetLastError();
}

cudaError_t launch_global_avg_pool_backward(cudaStream_t stream, const float* dy, float* dx, int64_t planes,
                                            int64_t plane) {
    if (planes < 0 || plane < 1) return cudaErrorInvalidValue;
    if (planes == 0) return cudaSuccess;
    global_avg_pool_backward_kernel<<<stream_blocks(planes * plane, kStreamThreads), kStreamThreads, 0, stream>>>(
        dy, dx, planes, plane);
    return cudaGetLastError();
}

}  // namespace snc
