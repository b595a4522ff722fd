// General grouped 2-D convolution, hand-written (direct, no im2col): dense (groups = 1) k x k for
// the stem, 1 x 1 pointwise, grouped and channel-multiplier depthwise shapes. Written for
// correctness first; cuDNN / cuBLAS may replace the dense cases once benchmarks on a GPU say so.
//
// Data layout: x [N, Cin, H, W], w [Cout, Cin/G, k, k], y [N, Cout, OH, OW], dense row-major
// float32. Output channel co belongs to group co / (Cout/G) and reads that group's Cin/G inputs.
//
// Launch shapes:
//   forward          grid (min(ceil(N*Cout*OH*OW/256), 8192)), block 256, grid-stride over outputs
//   backward_data    grid (min(ceil(N*Cin*H*W/256), 8192)),    block 256, grid-stride over inputs
//   backward_filter  grid (Cout*(Cin/G)*k*k), block 256: one block per weight element
//
// Bytes and FLOPs per call (Cg = Cin/G, T = k*k):
//   forward          reads 4*N*Cout*OH*OW*Cg*T (x, w; mostly cache hits), writes 4*N*Cout*OH*OW;
//                    2*N*Cout*OH*OW*Cg*T FLOPs
//   backward_data    reads ~4*N*Cin*H*W*(Cout/G)*T/stride^2 (dy, w) + 8*N*Cin*H*W; same FLOPs as forward
//   backward_filter  reads 8*N*Cout*OH*OW*Cg*T, writes 8*Cout*Cg*T; same FLOPs as forward
//
// Reduction strategy (no races by construction, no atomics, deterministic):
//   forward: one thread per output element sums over (input channel of its group, tap) in order.
//   backward_data: gather: one thread per input element walks the output channels of its group
//     and the taps whose window covers it, summing dy * w, and adds once into dx.
//   backward_filter: one block per weight element sums x * dy over (n, oh, ow) in float64
//     (grid-stride slices, then block_sum's fixed tree); thread 0 alone adds into dw.

#include "grouped_conv.cuh"

#include "block_reduce.cuh"
#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kFilterThreads = 256;

__global__ void __launch_bounds__(kStreamThreads)
grouped_forward_kernel(ConvDims d, const float* __restrict__ x, const float* __restrict__ w, float* __restrict__ y) {
    const int64_t count = d.y_count();
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    const int cg = d.in_per_group();
    const int taps = d.kernel * d.kernel;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int ow = static_cast<int>(i % d.out_w);
        const int oh = static_cast<int>((i / d.out_w) % d.out_h);
        const int co = static_cast<int>((i / (static_cast<int64_t>(d.out_w) * d.out_h)) % d.out_c);
        const int64_t n = i / (static_cast<int64_t>(d.out_w) * d.out_h * d.out_c);
        const int group = co / d.out_per_group();
        float acc = 0.0f;
        for (int cl = 0; cl < cg; cl++) {
            const float* xp = x + (n * d.in_c + group * cg + cl) * static_cast<int64_t>(d.in_h) * d.in_w;
            const float* wp = w + (static_cast<int64_t>(co) * cg + cl) * taps;
            for (int kh = 0; kh < d.kernel; kh++) {
                const int ih = oh * d.stride - d.padding + kh * d.dilation;
                if (ih < 0 || ih >= d.in_h) continue;
                for (int kw = 0; kw < d.kernel; kw++) {
                    const int iw = ow * d.stride - d.padding + kw * d.dilation;
                    if (iw < 0 || iw >= d.in_w) continue;
                    acc = fmaf(xp[static_cast<int64_t>(ih) * d.in_w + iw], wp[kh * d.kernel + kw], acc);
                }
            }
        }
        y[i] = acc;
    }
}

// The output coordinate whose window puts tap k on input coordinate `in`, or -1 if none.
__device__ __forceinline__ int source_output(int in, int k, const ConvDims& d, int out_extent) {
    const int t = in + d.padding - k * d.dilation;
    if (t < 0 || t % d.stride != 0) return -1;
    const int o = t / d.stride;
    return o < out_extent ? o : -1;
}

__global__ void __launch_bounds__(kStreamThreads)
grouped_backward_data_kernel(ConvDims d, const float* __restrict__ dy, const float* __restrict__ w,
                             float* __restrict__ dx) {
    const int64_t count = d.x_count();
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    const int cg = d.in_per_group();
    const int og = d.out_per_group();
    const int taps = d.kernel * d.kernel;
    const int64_t out_plane = static_cast<int64_t>(d.out_h) * d.out_w;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int iw = static_cast<int>(i % d.in_w);
        const int ih = static_cast<int>((i / d.in_w) % d.in_h);
        const int ci = static_cast<int>((i / (static_cast<int64_t>(d.in_w) * d.in_h)) % d.in_c);
        const int64_t n = i / (static_cast<int64_t>(d.in_w) * d.in_h * d.in_c);
        const int group = ci / cg;
        const int cl = ci % cg;
        float acc = 0.0f;
        for (int kh = 0; kh < d.kernel; kh++) {
            const int oh = source_output(ih, kh, d, d.out_h);
            if (oh < 0) continue;
            for (int kw = 0; kw < d.kernel; kw++) {
                const int ow = source_output(iw, kw, d, d.out_w);
                if (ow < 0) continue;
                const int64_t at = static_cast<int64_t>(oh) * d.out_w + ow;
                for (int j = 0; j < og; j++) {
                    const int co = group * og + j;
                    acc = fmaf(dy[(n * d.out_c + co) * out_plane + at],
                               w[(static_cast<int64_t>(co) * cg + cl) * taps + kh * d.kernel + kw], acc);
                }
            }
        }
        dx[i] += acc;
    }
}

__global__ void __launch_bounds__(kFilterThreads)
grouped_backward_filter_kernel(ConvDims d, const float* __restrict__ x, const float* __restrict__ dy,
                               float* __restrict__ dw) {
    const int cg = d.in_per_group();
    const int taps = d.kernel * d.kernel;
    const int64_t weight = blockIdx.x;  // ((co * cg + cl) * k + kh) * k + kw
    const int kw = static_cast<int>(weight % d.kernel);
    const int kh = static_cast<int>((weight / d.kernel) % d.kernel);
    const int cl = static_cast<int>((weight / taps) % cg);
    const int co = static_cast<int>(weight / (static_cast<int64_t>(taps) * cg));
    const int ci = (co / d.out_per_group()) * cg + cl;
    const int64_t out_plane = static_cast<int64_t>(d.out_h) * d.out_w;
    const int64_t count = static_cast<int64_t>(d.batch) * out_plane;
    double acc = 0.0;
    for (int64_t j = threadIdx.x; j < count; j += kFilterThreads) {
        const int64_t n = j / out_plane;
        const int oh = static_cast<int>((j / d.out_w) % d.out_h);
        const int ow = static_cast<int>(j % d.out_w);
        const int ih = oh * d.stride - d.padding + kh * d.dilation;
        const int iw = ow * d.stride - d.padding + kw * d.dilation;
        if (ih < 0 || ih >= d.in_h || iw < 0 || iw >= d.in_w) continue;
        acc += static_cast<double>(x[((n * d.in_c + ci) * d.in_h + ih) * d.in_w + iw])
               * static_cast<double>(dy[(n * d.out_c + co) * out_plane + static_cast<int64_t>(oh) * d.out_w + ow]);
    }
    acc = block_sum<kFilterThreads>(acc, threadIdx.x);
    if (threadIdx.x == 0) dw[weight] += static_cast<float>(acc);
}

}  // namespace

cudaError_t launch_grouped_conv_forward(cudaStream_t stream, const ConvDims& d, const float* x, const float* w,
                                        float* y) {
    if (!valid_conv_dims(d)) return cudaErrorInvalidValue;
    grouped_forward_kernel<<<stream_blocks(d.y_count(), kStreamThreads), kStreamThreads, 0, stream>>>(d, x, w, y);
    return cudaGetLastError();
}

cudaError_t launch_grouped_conv_backward_data(cudaStream_t stream, const ConvDims& d, const float* dy, const float* w,
                                              float* dx) {
    if (!valid_conv_dims(d)) return cudaErrorInvalidValue;
    grouped_backward_data_kernel<<<stream_blocks(d.x_count(), kStreamThreads), kStreamThreads, 0, stream>>>(
        d, dy, w, dx);
    return cudaGetLastError();
}

cudaError_t launch_grouped_conv_backward_filter(cudaStream_t stream, const ConvDims& d, const float* x,
                                                const float* dy, float* dw) {
    if (!valid_conv_dims(d)) return cudaErrorInvalidValue;
    grouped_backward_filter_kernel<<<static_cast<unsigned>(d.w_count()), kFilterThreads, 0, stream>>>(d, x, dy, dw);
    return cudaGetLastError();
}

}  // namespace snc
