// Max and average pooling with a square window, forward and backward, as the search space
// specifies: max pooling treats padding as minus infinity and, on ties, takes the FIRST maximum
// in row-major window order (a later element replaces the best only when strictly greater);
// average pooling always divides by kernel * kernel, padded positions counting as zeros.
//
// Data layout: x, dx [P, H, W], y, dy [P, OH, OW] with P = N * C planes, dense row-major float32.
//
// Launch shapes (all four): grid (min(ceil(elements/256), 8192)), block 256, grid-stride loop;
// forward kernels run over output elements, backward kernels over input elements.
//
// Bytes and FLOPs per call (T = kernel^2, E_in = P*H*W, E_out = P*OH*OW):
//   max forward    reads 4*E_out*T (cache hits), writes 4*E_out; E_out*T compares
//   max backward   reads ~4*E_in*T*T/stride^2 (re-derives each covering window's argmax), 8*E_in for dx;
//                  ~E_in*T*T/stride^2 compares
//   avg forward    reads 4*E_out*T, writes 4*E_out; E_out*T adds
//   avg backward   reads ~4*E_in*T/stride^2, 8*E_in for dx; ~E_in*T/stride^2 adds
//
// Reduction strategy (no races by construction, no atomics, deterministic): the backward
// kernels gather: each input element's single thread visits every window that covers it
// (for max pooling re-deriving that window's argmax with the forward's exact rule) and adds the
// total into dx once. Windows overlap when stride < kernel, so a scatter would need atomics.

#include "pooling.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

// Flat index (within the plane) of the window's first maximum; -1 if the window has no element,
// which valid_pool_dims rules out (2 * padding <= kernel). NaN never compares greater, exactly as
// in the reference's "best < 0 || v > bestValue".
__device__ __forceinline__ int window_argmax(const float* xp, const PoolDims& d, int oh, int ow) {
    int best = -1;
    float best_value = 0.0f;
    for (int kh = 0; kh < d.kernel; kh++) {
        const int ih = oh * d.stride - d.padding + kh;
        if (ih < 0 || ih >= d.in_h) continue;
        for (int kw = 0; kw < d.kernel; kw++) {
            const int iw = ow * d.stride - d.padding + kw;
            if (iw < 0 || iw >= d.in_w) continue;
            const int at = ih * d.in_w + iw;
            const float v = xp[at];
            if (best < 0 || v > best_value) {
                best = at;
                best_value = v;
            }
        }
    }
    return best;
}

// Range of output coordinates whose window covers input coordinate `in` along one axis.
__device__ __forceinline__ void covering_outputs(int in, const PoolDims& d, int out_extent, int& first, int& last) {
    // window of output o covers [o * stride - padding, o * stride - padding + kernel - 1]
    const int top = in + d.padding;  // o * stride <= top and o * stride >= top - kernel + 1
    const int low = top - d.kernel + 1;
    first = low <= 0 ? 0 : (low + d.stride - 1) / d.stride;
    last = top / d.stride;
    if (last > out_extent - 1) last = out_extent - 1;
}

__global__ void __launch_bounds__(kStreamThreads)
max_pool_forward_kernel(PoolDims d, const float* __restrict__ x, float* __restrict__ y) {
    const int64_t count = d.planes * d.out_h * d.out_w;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int ow = static_cast<int>(i % d.out_w);
        const int oh = static_cast<int>((i / d.out_w) % d.out_h);
        const float* xp = x + (i / (static_cast<int64_t>(d.out_w) * d.out_h)) * d.in_h * d.in_w;
        y[i] = xp[window_argmax(xp, d, oh, ow)];
    }
}

__global__ void __launch_bounds__(kStreamThreads)
max_pool_backward_kernel(PoolDims d, const float* __restrict__ x, const float* __restrict__ dy,
                         float* __restrict__ dx) {
    const int64_t count = d.planes * d.in_h * d.in_w;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int iw = static_cast<int>(i % d.in_w);
        const int ih = static_cast<int>((i / d.in_w) % d.in_h);
        const int64_t plane = i / (static_cast<int64_t>(d.in_w) * d.in_h);
        const float* xp = x + plane * d.in_h * d.in_w;
        const float* dyp = dy + plane * d.out_h * d.out_w;
        const int self = ih * d.in_w + iw;
        int oh0, oh1, ow0, ow1;
        covering_outputs(ih, d, d.out_h, oh0, oh1);
        covering_outputs(iw, d, d.out_w, ow0, ow1);
        float acc = 0.0f;
        for (int oh = oh0; oh <= oh1; oh++) {
            for (int ow = ow0; ow <= ow1; ow++) {
                if (window_argmax(xp, d, oh, ow) == self) acc += dyp[oh * d.out_w + ow];
            }
        }
        dx[i] += acc;
    }
}

__global__ void __launch_bounds__(kStreamThreads)
avg_pool_forward_kernel(PoolDims d, const float* __restrict__ x, float* __restrict__ y) {
    const int64_t count = d.planes * d.out_h * d.out_w;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    const float divisor = static_cast<float>(d.kernel * d.kernel);
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int ow = static_cast<int>(i % d.out_w);
        const int oh = static_cast<int>((i / d.out_w) % d.out_h);
        const float* xp = x + (i / (static_cast<int64_t>(d.out_w) * d.out_h)) * d.in_h * d.in_w;
        float sum = 0.0f;
        for (int kh = 0; kh < d.kernel; kh++) {
            const int ih = oh * d.stride - d.padding + kh;
            if (ih < 0 || ih >= d.in_h) continue;
            for (int kw = 0; kw < d.kernel; kw++) {
                const int iw = ow * d.stride - d.padding + kw;
                if (iw < 0 || iw >= d.in_w) continue;
                sum += xp[ih * d.in_w + iw];
            }
        }
        y[i] = sum / divisor;
    }
}

__global__ void __launch_bounds__(kStreamThreads)
avg_pool_backward_kernel(PoolDims d, const float* __restrict__ dy, float* __restrict__ dx) {
    const int64_t count = d.planes * d.in_h * d.in_w;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    const float divisor = static_cast<float>(d.kernel * d.kernel);
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int iw = static_cast<int>(i % d.in_w);
        const int ih = static_cast<int>((i / d.in_w) % d.in_h);
        const float* dyp = dy + (i / (static_cast<int64_t>(d.in_w) * d.in_h)) * d.out_h * d.out_w;
        int oh0, oh1, ow0, ow1;
        covering_outputs(ih, d, d.out_h, oh0, oh1);
        covering_outputs(iw, d, d.out_w, ow0, ow1);
        float sum = 0.0f;
        for (int oh = oh0; oh <= oh1; oh++) {
            for (int ow = ow0; ow <= ow1; ow++) sum += dyp[oh * d.out_w + ow];
        }
        dx[i] += sum / divisor;
    }
}

unsigned blocks_for(int64_t elements) { return stream_blocks(elements, kStreamThreads); }

}  // namespace

bool valid_pool_dims(const PoolDims& d) {
    if (d.planes < 1 || d.in_h < 1 || d.in_w < 1 || d.kernel < 1 || d.stride < 1 || d.padding < 0
        || 2 * d.padding > d.kernel) {
        return false;
    }
    const int64_t h = static_cast<int64_t>(d.in_h) + 2 * d.padding - d.kernel;
    const int64_t w = static_cast<int64_t>(d.in_w) + 2 * d.padding - d.kernel;
    if (h < 0 || w < 0) return false;
    return d.out_h == h / d.stride + 1 && d.out_w == w / d.stride + 1
           && static_cast<int64_t>(d.in_h) * d.in_w < (1LL << 31);  // in-plane indices are int
}

cudaError_t launch_max_pool_forward(cudaStream_t stream, const PoolDims& d, const float* x, float* y) {
    if (!valid_pool_dims(d)) return cudaErrorInvalidValue;
    max_pool_forward_kernel<<<blocks_for(d.planes * d.out_h * d.out_w), kStreamThreads, 0, stream>>>(d, x, y);
    return cudaGetLastError();
}

cudaError_t launch_max_pool_backward(cudaStream_t stream, const PoolDims& d, const float* x, const float* dy, float* dx) {
    if (!valid_pool_dims(d)) return cudaErrorInvalidValue;
    max_pool_backward_kernel<<<blocks_for(d.planes * d.in_h * d.in_w), kStreamThreads, 0, stream>>>(d, x, dy, dx);
    return cudaGetLastError();
}

cudaError_t launch_avg_pool_forward(cudaStream_t stream, const PoolDims& d, const float* x, float* y) {
    if (!valid_pool_dims(d)) return cudaErrorInvalidValue;
    avg_pool_forward_kernel<<<blocks_for(d.planes * d.out_h * d.out_w), kStreamThreads, 0, stream>>>(d, x, y);
    return cudaGetLastError();
}

cudaError_t launch_avg_pool_backward(cudaStream_t stream, const PoolDims& d, const float* dy, float* dx) {
    if (!valid_pool_dims(d)) return cudaErrorInvalidValue;
    avg_pool_backward_kernel<<<blocks_for(d.planes * d.in_h * d.in_w), kStreamThreads, 0, stream>>>(d, dy, dx);
    return cudaGetLastError();
}

}  // namespace snc
