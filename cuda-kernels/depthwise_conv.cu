// Depthwise k x k convolution (groups == in_c == out_c), the op separable and dilated convs are
// made of: forward, backward-data and backward-filter, any kernel size, stride, padding and
// dilation (the search space uses k = 3, 5, stride 1, 2, dilation 1, 2).
//
// Data layout: x [N, C, H, W], w [C, 1, k, k], y [N, C, OH, OW], dense row-major float32.
//
// Launch shapes:
//   forward          grid (min(ceil(N*C*OH*OW/256), 8192)), block 256, grid-stride over outputs
//   backward_data    grid (min(ceil(N*C*H*W/256), 8192)),   block 256, grid-stride over inputs
//   backward_filter  grid (C*k*k), block 256: one block per weight element
//
// Bytes and FLOPs per call (T = k*k taps, in-bounds taps only are computed):
//   forward          reads 4*N*C*OH*OW*T (x, mostly from L1/L2) + 4*C*T, writes 4*N*C*OH*OW; 2*N*C*OH*OW*T FLOPs
//   backward_data    reads 4*N*C*H*W*T/stride^2 (dy) + 8*N*C*H*W, writes 4*N*C*H*W; ~2*N*C*OH*OW*T FLOPs
//   backward_filter  reads 8*N*C*OH*OW*T, writes 8*C*T; 2*N*C*OH*OW*T FLOPs
//
// Reduction strategy (no races by construction, no atomics, deterministic):
//   forward: each output element has one thread that sums its taps in a fixed order.
//   backward_data: gather, not scatter: each input element has one thread that walks the taps
//     whose window covers it and sums dy * w in a fixed order, then adds once into dx.
//   backward_filter: each weight element has one block; its threads sum x * dy over a fixed
//     grid-stride slice of (n, oh, ow) in float64, block_sum combines the slices in a fixed tree,
//     and thread 0 alone adds the total into dw.

#include "depthwise_conv.cuh"

#include "block_reduce.cuh"
#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kFilterThreads = 256;

__global__ void __launch_bounds__(kStreamThreads)
depthwise_forward_kernel(ConvDims d, const float* __restrict__ x, const float* __restrict__ w, float* __restrict__ y) {
    const int64_t count = d.y_count();
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int ow = static_cast<int>(i % d.out_w);
        const int oh = static_cast<int>((i / d.out_w) % d.out_h);
        const int64_t plane = i / (static_cast<int64_t>(d.out_w) * d.out_h);  // n * C + c
        const int c = static_cast<int>(plane % d.in_c);
        const float* xp = x + plane * d.in_h * d.in_w;
        const float* wc = w + static_cast<int64_t>(c) * d.kernel * d.kernel;
        float acc = 0.0f;
        for (int kh = 0; kh < d.kernel; kh++) {
            const int ih = oh * d.stride - d.padding + kh * d.dilation;
            if (ih < 0 || ih >= d.in_h) continue;
            for (int kw = 0; kw < d.kernel; kw++) {
                const int iw = ow * d.stride - d.padding + kw * d.dilation;
                if (iw < 0 || iw >= d.in_w) continue;
                acc = fmaf(xp[static_cast<int64_t>(ih) * d.in_w + iw], wc[kh * d.kernel + kw], acc);
            }
        }
        y[i] = acc;
    }
}

// For input coordinate `in` and tap `k`: the output coordinate whose window puts tap k on `in`,
// or -1 when there is none (not on the stride grid or outside the output).
__device__ __forceinline__ int source_output(int in, int k, const ConvDims& d, int out_extent) {
    const int t = in + d.padding - k * d.dilation;
    if (t < 0 || t % d.stride != 0) return -1;
    const int o = t / d.stride;
    return o < out_extent ? o : -1;
}

__global__ void __launch_bounds__(kStreamThreads)
depthwise_backward_data_kernel(ConvDims d, const float* __restrict__ dy, const float* __restrict__ w,
                               float* __restrict__ dx) {
    const int64_t count = d.x_count();
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int iw = static_cast<int>(i % d.in_w);
        const int ih = static_cast<int>((i / d.in_w) % d.in_h);
        const int64_t plane = i / (static_cast<int64_t>(d.in_w) * d.in_h);
        const int c = static_cast<int>(plane % d.in_c);
        const float* dyp = dy + plane * d.out_h * d.out_w;
        const float* wc = w + static_cast<int64_t>(c) * d.kernel * d.kernel;
        float acc = 0.0f;
        for (int kh = 0; kh < d.kernel; kh++) {
            const int oh = source_output(ih, kh, d, d.out_h);
            if (oh < 0) continue;
            for (int kw = 0; kw < d.kernel; kw++) {
                const int ow = source_output(iw, kw, d, d.out_w);
                if (ow < 0) continue;
                acc = fmaf(dyp[static_cast<int64_t>(oh) * d.out_w + ow], wc[kh * d.kernel + kw], acc);
            }
        }
        dx[i] += acc;
    }
}

__global__ void __launch_bounds__(kFilterThreads)
depthwise_backward_filter_kernel(ConvDims d, const float* __restrict__ x, const float* __restrict__ dy,
                                 float* __restrict__ dw) {
    const int taps = d.kernel * d.kernel;
    const int c = blockIdx.x / taps;
    const int tap = blockIdx.x % taps;
    const int kh = tap / d.kernel;
    const int kw = tap % d.kernel;
    const int64_t out_plane = static_cast<int64_t>(d.out_h) * d.out_w;
    const int64_t count = static_cast<int64_t>(d.batch) * out_plane;  // (n, oh, ow) for this channel
    double acc = 0.0;
    for (int64_t j = threadIdx.x; j < count; j += kFilterThreads) {
        const int64_t n = j / out_plane;
        const int oh = static_cast<int>((j / d.out_w) % d.out_h);
        const int ow = static_cast<int>(j % d.out_w);
        const int ih = oh * d.stride - d.padding + kh * d.dilation;
        const int iw = ow * d.stride - d.padding + kw * d.dilation;
        if (ih < 0 || ih >= d.in_h || iw < 0 || iw >= d.in_w) continue;
        const int64_t plane = n * d.in_c + c;
        acc += static_cast<double>(x[(plane * d.in_h + ih) * d.in_w + iw])
               * static_cast<double>(dy[plane * out_plane + static_cast<int64_t>(oh) * d.out_w + ow]);
    }
    acc = block_sum<kFilterThreads>(acc, threadIdx.x);
    if (threadIdx.x == 0) dw[blockIdx.x] += static_cast<float>(acc);  // w [C, 1, k, k]: index c * taps + tap
}

}  // namespace

bool is_depthwise(const ConvDims& d) {
    return valid_conv_dims(d) && d.groups == d.in_c && d.out_c == d.in_c;
}

cudaError_t launch_depthwise_conv_forward(cudaStream_t stream, const ConvDims& d, const float* x, const float* w,
                                          float* y) {
    if (!is_depthwise(d)) return cudaErrorInvalidValue;
    depthwise_forward_kernel<<<stream_blocks(d.y_count(), kStreamThreads), kStreamThreads, 0, stream>>>(d, x, w, y);
    return cudaGetLastError();
}

cudaError_t launch_depthwise_conv_backward_data(cudaStream_t stream, const ConvDims& d, const float* dy,
                                                const float* w, float* dx) {
    if (!is_depthwise(d)) return cudaErrorInvalidValue;
    depthwise_backward_data_kernel<<<stream_blocks(d.x_count(), kStreamThreads), kStreamThreads, 0, stream>>>(
        d, dy, w, dx);
    return cudaGetLastError();
}

cudaError_t launch_depthwise_conv_backward_filter(cudaStream_t stream, const ConvDims& d, const float* x,
                                                  const float* dy, float* dw) {
    if (!is_depthwise(d)) return cudaErrorInvalidValue;
    const int64_t blocks = d.w_count();  // C * k * k, < 2^31 by valid_conv_dims
    depthwise_backward_filter_kernel<<<static_cast<unsigned>(blocks), kFilterThreads, 0, stream>>>(d, x, dy, dw);
    return cudaGetLastError();
}

}  // namespace snc
