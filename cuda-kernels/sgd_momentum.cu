// SGD with momentum and L2 weight decay (PyTorch's convention: decay folded into the gradient,
// velocity accumulates the raw step, the learning rate multiplies the velocity).
//
// Data layout: param, grad, velocity are flat float32 arrays of the same length.
// Launch shape: grid (min(ceil(count/256), 8192)), block 256, grid-stride loop.
// Bytes moved: 20 per element (read param, grad, velocity; write param, velocity). FLOPs: 6 per element.
// Race freedom: thread i alone touches element i of each array.

#include "sgd_momentum.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

// No __restrict__: the SPI lets elementwise ops run in place (each thread reads element i of every
// array before writing it, so aliasing arrays still give the sequential result).
__global__ void __launch_bounds__(kStreamThreads)
sgd_momentum_kernel(float* param, const float* grad, float* velocity,
                    int64_t count, float lr, float momentum, float weight_decay) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const float p = param[i];
        const float g = fmaf(weight_decay, p, grad[i]);
        const float v = fmaf(momentum, velocity[i], g);
        velocity[i] = v;
        param[i] = fmaf(-lr, v, p);
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

}  // namespace snc
