// Gated mixed-op kernels: the forward accumulation of one candidate op into its node and the gate
// gradient of the backward pass.
//
// Data layout: every tensor is dense and row-major with the sample (batch) index outermost, so
// sample n of a [samples, per_sample] view starts at n * per_sample (an NCHW tensor flattens to
// per_sample = C*H*W). The per-sample factor lives in device memory (a row of the plan's
// [gates, samples] gates.path masks, uploaded before the step), not in kernel parameters, so a
// captured CUDA graph can be replayed with new drop-path masks; the multiplier passed by value
// (1 / keep) is the same for every step of a captured key.
//
// Launch shapes:
//   scale_add_per_sample_kernel    grid (min(ceil(per_sample/256), 8192), samples), block 256
//   dot_per_sample_partial_kernel  grid (dot_blocks_per_sample(per_sample), samples), block 256
//   dot_per_sample_finish_kernel   grid (samples), block 32 (one warp per sample)
//   gate_gradient_finish_kernel    grid (1), block 32 (after the dot kernels)
//   gate_gradient_fold_kernel      grid (1), block 32 (after gated_sum_backward's finish; ops one by one)
//   gated_sum_forward_kernel       grid (min(ceil(per_sample/256), 8192), samples), block 256
//   gated_sum_backward_kernel      grid (dot_blocks_per_sample(per_sample), samples), block 256
//   (its finish)                   dot_per_sample_finish_kernel over ops * samples rows
// samples <= 65535 (gridDim.y limit) and ops <= kMaxGatedOps; the launchers check it.
//
// The fused edge kernels (gated_sum_*) serve all ops of one edge in one pass over the data, as
// the architecture spec asks: forward y += sum_j scale[j, n] * x_j (applied op by op in the same
// fmaf order as repeated scale_add_per_sample calls, so the result is bit-identical to them);
// backward dx_j += scale[j, n] * dy for every op whose gradient pointer is non-null (a closed op
// gets none, its gate still gets a gradient) and dot[j, n] = sum_i dy[n, i] * x_j[n, i] (the gate
// gradient per sample, before the caller folds in drop-path factors), reading dy once. The fold
// of those dots into the gate gradients (gate_gradient_fold_kernel) serves all ops of the call in
// one launch and runs, op by op, the very code gate_gradient_finish_kernel runs for one gate
// (fold_gate_gradient), so fused backward + fold give the per-op path's bits.
//
// Reduction strategy of the dot products (no races, no atomics, deterministic): each block sums
// a fixed grid-stride slice of one sample in float64 per thread, block_sum combines the threads
// in a fixed tree, thread 0 writes the block's partial to its own workspace slot, and a second
// kernel sums each row's partials in a fixed order. The block count depends on per_sample only.

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

// y[n, i] += (multiplier * scale[n]) * x[n, i].
// Bytes moved: 12 per element (read x, read y, write y) + 4 per sample. FLOPs: 2 per element (one FMA).
// No shortcut for a factor of 0 (a dropped path): 0 * inf must still give NaN, as in the
// reference backend, so a diverging candidate is not hidden by its mask.
// No __restrict__ on x and y: the SPI lets this elementwise op run in place (x == y).
__global__ void __launch_bounds__(kStreamThreads)
scale_add_per_sample_kernel(const float* x, const float* __restrict__ scale, float multiplier, float* y,
                            int64_t per_sample) {
    const int64_t sample = blockIdx.y;
    const float s = multiplier * scale[sample];
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

// y[n, i] += sum over j < ops of scale[j * samples + n] * x[j][n, i], op by op.
// Bytes moved: 8 + 4 * ops per element + 4 * ops per sample. FLOPs: 2 * ops per element.
__global__ void __launch_bounds__(kStreamThreads)
gated_sum_forward_kernel(const float* const* __restrict__ x, const float* __restrict__ scale, float* __restrict__ y,
                         int ops, int samples, int64_t per_sample) {
    const int64_t sample = blockIdx.y;
    float* ys = y + sample * per_sample;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < per_sample; i += stride) {
        float acc = ys[i];
        for (int j = 0; j < ops; j++) {
            acc = fmaf(scale[static_cast<int64_t>(j) * samples + sample], x[j][sample * per_sample + i], acc);
        }
        ys[i] = acc;
    }
}

// dx[j][n, i] += scale[j * samples + n] * dy[n, i] where dx[j] is not null, and
// partial[(j * samples + n) * gridDim.x + blockIdx.x] = this block's slice of sum_i dy[n, i] * x[j][n, i].
// Bytes moved per element: 4 (dy) + 4 * ops (x) + 8 * (ops with a gradient). FLOPs: 2 * ops + 2 * (ops with a gradient).
__global__ void __launch_bounds__(kDotThreads)
gated_sum_backward_kernel(const float* __restrict__ dy, const float* const* __restrict__ x,
                          const float* __restrict__ scale, float* const* __restrict__ dx, int ops, int samples,
                          int64_t per_sample, double* __restrict__ partial) {
    const int64_t sample = blockIdx.y;
    const float* dys = dy + sample * per_sample;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kDotThreads;
    double acc[kMaxGatedOps];
    float s[kMaxGatedOps];
#pragma unroll
    for (int j = 0; j < kMaxGatedOps; j++) {
        acc[j] = 0.0;
        s[j] = j < ops ? scale[static_cast<int64_t>(j) * samples + sample] : 0.0f;
    }
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kDotThreads + threadIdx.x; i < per_sample; i += stride) {
        const float g = dys[i];
        const int64_t at = sample * per_sample + i;
#pragma unroll
        for (int j = 0; j < kMaxGatedOps; j++) {
            if (j < ops) {
                acc[j] = fma(static_cast<double>(g), static_cast<double>(x[j][at]), acc[j]);
                float* d = dx[j];
                if (d != nullptr) d[at] = fmaf(s[j], g, d[at]);
            }
        }
    }
#pragma unroll
    for (int j = 0; j < kMaxGatedOps; j++) {
        if (j < ops) {  // ops is uniform over the block, so every thread calls block_sum alike
            const double total = block_sum<kDotThreads>(acc[j], threadIdx.x);
            if (threadIdx.x == 0) partial[(static_cast<int64_t>(j) * samples + sample) * gridDim.x + blockIdx.x] = total;
            __syncthreads();  // the next block_sum reuses the shared warp totals
        }
    }
}

}  // namespace

cudaError_t launch_gated_sum_forward(cudaStream_t stream, const float* const* x, const float* scale, float* y, int ops,
                                     int samples, int64_t per_sample) {
    if (ops < 0 || ops > kMaxGatedOps || samples < 0 || samples > kMaxGridY || per_sample < 0) {
        return cudaErrorInvalidValue;
    }
    if (ops == 0 || samples == 0 || per_sample == 0) return cudaSuccess;
    const dim3 grid(stream_blocks(per_sample, kStreamThreads), static_cast<unsigned>(samples));
    gated_sum_forward_kernel<<<grid, kStreamThreads, 0, stream>>>(x, scale, y, ops, samples, per_sample);
    return cudaGetLastError();
}

int64_t gated_sum_backward_workspace_bytes(int ops, int samples, int64_t per_sample) {
    if (ops <= 0 || samples <= 0) return 0;
    return static_cast<int64_t>(ops) * samples * dot_blocks_per_sample(per_sample)
           * static_cast<int64_t>(sizeof(double));
}

cudaError_t launch_gated_sum_backward(cudaStream_t stream, const float* dy, const float* const* x, const float* scale,
                                      float* const* dx, int ops, int samples, int64_t per_sample, double* workspace,
                                      double* dots) {
    if (ops < 0 || ops > kMaxGatedOps || samples < 0 || samples > kMaxGridY || per_sample < 0) {
        return cudaErrorInvalidValue;
    }
    if (ops == 0 || samples == 0) return cudaSuccess;
    const int64_t blocks = dot_blocks_per_sample(per_sample);
    const dim3 grid(static_cast<unsigned>(blocks), static_cast<unsigned>(samples));
    gated_sum_backward_kernel<<<grid, kDotThreads, 0, stream>>>(dy, x, scale, dx, ops, samples, per_sample, workspace);
    cudaError_t status = cudaGetLastError();
    if (status != cudaSuccess) return status;
    // rows j * samples + n, each with `blocks` partials, laid out exactly as the finish kernel reads them
    dot_per_sample_finish_kernel<<<static_cast<unsigned>(ops) * static_cast<unsigned>(samples), 32, 0, stream>>>(
        workspace, static_cast<int>(blocks), dots);
    return cudaGetLastError();
}

cudaError_t launch_scale_add_per_sample(cudaStream_t stream, const float* x, const float* scale, float multiplier,
                                        float* y, int samples, int64_t per_sample) {
    if (samples < 0 || samples > kMaxGridY || per_sample < 0) return cudaErrorInvalidValue;
    if (samples == 0 || per_sample == 0) return cudaSuccess;
    const dim3 grid(stream_blocks(per_sample, kStreamThreads), static_cast<unsigned>(samples));
    scale_add_per_sample_kernel<<<grid, kStreamThreads, 0, stream>>>(x, scale, multiplier, y, per_sample);
    return cudaGetLastError();
}

namespace {

// gate_grads[index] += sum over n < samples of (multiplier * factor[n]) * dots[n], run by one full
// warp (every lane calls it): lane l sums samples l, l + 32, ... in float64 with
// s = fma(multiplier * factor[n], dots[n], s) (the product of two floats is exact in float64; the
// fma is explicit so that the GPU, where nvcc would contract it, and the emulator round alike),
// warp_sum's fixed shuffle tree combines the lanes, and lane 0 alone adds the total to the gate in
// float64 and rounds once. The one definition of a gate's fold: both kernels below run it.
__device__ __forceinline__ void fold_gate_gradient(const double* __restrict__ dots, const float* __restrict__ factor,
                                                   float multiplier, int samples, float* gate_grads, int index) {
    double s = 0.0;
    for (int n = threadIdx.x; n < samples; n += 32) {
        const double f = static_cast<double>(multiplier) * static_cast<double>(factor[n]);
        s = fma(f, dots[n], s);
    }
    s = warp_sum(s);
    if (threadIdx.x == 0) {
        gate_grads[index] = static_cast<float>(static_cast<double>(gate_grads[index]) + s);
    }
}

// The host arrays of one fold call, copied into the kernel's parameters (96 bytes), so a captured
// graph holds them and reads no host memory.
struct GateFoldOps {
    int32_t rows[kMaxGatedOps];
    float multipliers[kMaxGatedOps];
    int32_t gates[kMaxGatedOps];
};

}  // namespace

// gate_grads[index] += sum over n < samples of (multiplier * factor[n]) * dots[n]: the straight-through
// gradient of one gate, folded on the device so the backward pass never waits for the host. One
// warp (fold_gate_gradient). Bytes: 12 per sample read + 8 (one float read and written). FLOPs: 3 per sample.
__global__ void __launch_bounds__(32)
gate_gradient_finish_kernel(const double* __restrict__ dots, const float* __restrict__ factor, float multiplier,
                            int samples, float* gate_grads, int index) {
    fold_gate_gradient(dots, factor, multiplier, samples, gate_grads, index);
}

// For j = 0 .. ops - 1 in order: gate_grads[op.gates[j]] += sum over n < samples of
// (op.multipliers[j] * factors[op.rows[j], n]) * dots[j, n], each op exactly as
// gate_gradient_finish_kernel folds one gate. dots: [ops, samples] float64 (gated_sum_backward's);
// factors: [rows, samples] float32 (the step's drop-path masks); gate_grads: float32. One warp:
// the ops run one after another in the same threads, so two ops of one gate add in order (lane 0
// writes the gate and lane 0 reads it for the next op; no other lane touches gate_grads).
// Bytes: 12 per (op, sample) read + 8 per op (one float read and written). FLOPs: 3 per (op, sample).
__global__ void __launch_bounds__(32)
gate_gradient_fold_kernel(const double* __restrict__ dots, const float* __restrict__ factors, int samples,
                          GateFoldOps op, int ops, float* gate_grads) {
    for (int j = 0; j < ops; j++) {
        fold_gate_gradient(dots + static_cast<int64_t>(j) * samples,
                           factors + static_cast<int64_t>(op.rows[j]) * samples, op.multipliers[j], samples,
                           gate_grads, op.gates[j]);
    }
}

cudaError_t launch_gate_gradient_fold(cudaStream_t stream, const double* dots, const float* factors, int samples,
                                      const int32_t* host_rows, const float* host_multipliers,
                                      const int32_t* host_gates, int ops, float* gate_grads) {
    if (samples < 0 || ops < 0 || ops > kMaxGatedOps) return cudaErrorInvalidValue;
    if (ops == 0 || samples == 0) return cudaSuccess;  // nothing to add: the per-op path launches nothing either
    GateFoldOps op{};
    for (int j = 0; j < ops; j++) {
        if (host_rows[j] < 0 || host_gates[j] < 0) return cudaErrorInvalidValue;
        op.rows[j] = host_rows[j];
        op.multipliers[j] = host_multipliers[j];
        op.gates[j] = host_gates[j];
    }
    gate_gradient_fold_kernel<<<1, 32, 0, stream>>>(dots, factors, samples, op, ops, gate_grads);
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

cudaError_t launch_gate_gradient(cudaStream_t stream, const float* dy, const float* x, int samples, int64_t per_sample,
                                 double* workspace, double* dots, const float* factor, float multiplier,
                                 float* gate_grads, int index) {
    if (samples < 0 || index < 0) return cudaErrorInvalidValue;
    if (samples == 0) return cudaSuccess;
    cudaError_t status = launch_dot_per_sample(stream, dy, x, samples, per_sample, workspace, dots);
    if (status != cudaSuccess) return status;
    gate_gradient_finish_kernel<<<1, 32, 0, stream>>>(dots, factor, multiplier, samples, gate_grads, index);
    return cudaGetLastError();
}

}  // namespace snc
