// SGD with momentum and L2 weight decay (PyTorch's convention: decay folded into the gradient,
// velocity accumulates the raw step, the learning rate multiplies the velocity), for one tensor
// and, fused, for every parameter tensor of a network in one launch.
//
// One tensor (sgd_momentum_kernel)
//   Data layout: param, grad, velocity are flat float32 arrays of the same length.
//   Launch shape: grid (min(ceil(count/256), 8192)), block 256, grid-stride loop.
//
// Many tensors (sgd_momentum_all_kernel, a multi-tensor apply)
//   Data layout: one int64 table in device memory, built on the host by build_sgd_momentum_table
//   for T tensors (5 T + 1 entries): [0, T) param addresses, [T, 2T) grad addresses, [2T, 3T)
//   velocity addresses, [3T, 4T) element counts, [4T, 5T] first chunk of each tensor (a prefix
//   sum of ceil(count / 2048); entry 5T is the total C). Tensor t owns chunks [first[t], first[t+1]);
//   a chunk is up to kSgdChunk = 2048 consecutive elements of one tensor.
//   Launch shape: grid (min(C, 8192)), block 256; block b takes chunks b, b + grid, ...; for each it
//   binary-searches `first` (log2 T steps, the same addresses in every thread of the block, so
//   broadcast loads that stay in L1) and its threads stride the chunk by 256 (8 elements each).
//   One launch whatever T is; a tensor of 0 elements owns no chunk.
//   The learning rate is one float32 in device memory (the plan's `sgd.rate`, uploaded by the host
//   before the step), read once per thread: a CUDA graph of the step records its address, so every
//   replay uses the rate of its own step. The per-tensor kernel takes the rate as an argument.
//
// Bytes moved: 20 per element (read param, grad, velocity; write param, velocity), plus about
// 8 (log2 T + 5) bytes of table per chunk and 4 bytes of rate per thread (one broadcast load per
// block) for the fused form. FLOPs: 6 per element (3 FMAs).
// Both kernels run the same per-element code (sgd_step), so the fused update is bit-identical to
// one sgd_momentum_kernel launch per tensor with the same float32 rate.
// Race freedom: thread i alone touches element i of each array; the fused form requires the
// written tensors of different triples to be distinct (checked in Java), so chunks never overlap.

#include "sgd_momentum.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

// Elements per chunk of the fused kernel: 8 per thread, small enough that a network's
// few-hundred-element BatchNorm and depthwise tensors do not leave most of a block idle.
constexpr int64_t kSgdChunk = 2048;

// No __restrict__: the SPI lets elementwise ops run in place (each thread reads element i of every
// array before writing it, so aliasing arrays still give the sequential result).
__device__ __forceinline__ void sgd_step(float* param, const float* grad, float* velocity, int64_t i, float lr,
                                         float momentum, float weight_decay) {
    const float p = param[i];
    const float g = fmaf(weight_decay, p, grad[i]);
    const float v = fmaf(momentum, velocity[i], g);
    velocity[i] = v;
    param[i] = fmaf(-lr, v, p);
}

__global__ void __launch_bounds__(kStreamThreads)
sgd_momentum_kernel(float* param, const float* grad, float* velocity,
                    int64_t count, float lr, float momentum, float weight_decay) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        sgd_step(param, grad, velocity, i, lr, momentum, weight_decay);
    }
}

template <typename T>
__device__ __forceinline__ T* address(int64_t entry) {
    return reinterpret_cast<T*>(static_cast<uintptr_t>(entry));
}

__global__ void __launch_bounds__(kStreamThreads)
sgd_momentum_all_kernel(const int64_t* table, int64_t tensors, int64_t chunks, const float* rate, float momentum,
                        float weight_decay) {
    // no thread writes *rate (it is not a param or velocity), so one load before the loop suffices
    const float lr = *rate;
    const int64_t* counts = table + 3 * tensors;
    const int64_t* first = table + 4 * tensors;
    for (int64_t chunk = blockIdx.x; chunk < chunks; chunk += gridDim.x) {
        // the last tensor whose first chunk is <= chunk: the owner (empty tensors share their
        // successor's first chunk and come before it, so they are never chosen)
        int64_t lo = 0;
        int64_t hi = tensors - 1;
        while (lo < hi) {
            const int64_t mid = (lo + hi + 1) / 2;
            if (first[mid] <= chunk) lo = mid; else hi = mid - 1;
        }
        float* param = address<float>(table[lo]);
        const float* grad = address<const float>(table[tensors + lo]);
        float* velocity = address<float>(table[2 * tensors + lo]);
        const int64_t begin = (chunk - first[lo]) * kSgdChunk;
        const int64_t end = min(begin + kSgdChunk, counts[lo]);
        for (int64_t i = begin + threadIdx.x; i < end; i += kStreamThreads) {
            sgd_step(param, grad, velocity, i, lr, momentum, weight_decay);
        }
    }
}

}  // namespace

cudaError_t launch_sgd_momentum(cudaStream_t stream, float* param, const float* grad, float* velocity, int64_t count,
                                float lr, float momentum, float weight_decay) {
    if (count < 0) return cudaErrorInvalidValue;
    if (count == 0) return cudaSuccess;
    sgd_momentum_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(
        param, grad, velocity, count, lr, momentum, weight_decay);
    return cudaGetLastError();
}

int64_t sgd_momentum_table_entries(int64_t tensors) { return tensors < 0 ? -1 : 5 * tensors + 1; }

bool build_sgd_momentum_table(const int64_t* addresses_and_counts, int64_t tensors, int64_t* table) {
    if (tensors < 0 || (tensors > 0 && addresses_and_counts == nullptr) || table == nullptr) return false;
    int64_t chunks = 0;
    for (int64_t t = 0; t < tensors; ++t) {
        const int64_t count = addresses_and_counts[3 * tensors + t];
        if (count < 0) return false;
        for (int64_t k = 0; k < 3; ++k) {
            if (count > 0 && addresses_and_counts[k * tensors + t] == 0) return false;
        }
        table[4 * tensors + t] = chunks;
        chunks += (count + kSgdChunk - 1) / kSgdChunk;
    }
    for (int64_t e = 0; e < 4 * tensors; ++e) table[e] = addresses_and_counts[e];
    table[5 * tensors] = chunks;
    return true;
}

cudaError_t launch_sgd_momentum_all(cudaStream_t stream, const int64_t* table, int64_t tensors, int64_t chunks,
                                    const float* lr, float momentum, float weight_decay) {
    if (lr == nullptr || tensors < 0 || chunks < 0 || (chunks > 0 && tensors == 0)) return cudaErrorInvalidValue;
    if (chunks == 0) return cudaSuccess;
    sgd_momentum_all_kernel<<<stream_blocks(chunks, 1), kStreamThreads, 0, stream>>>(table, tensors, chunks, lr,
                                                                                    momentum, weight_decay);
    return cudaGetLastError();
}

}  // namespace snc
