// Host launchers of the BatchNorm kernels (batch_norm.cu). x, y, dy, dx: [N, C, H, W] float32;
// gamma, beta, statistics and their gradients: [C] float32.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// Training mode over N, H, W per channel: y = gamma * (x - mean) * inv_std + beta with the biased
// batch variance; writes save_mean / save_inv_std; run = (1 - momentum) * run + momentum * batch,
// the running variance taking the unbiased variance. Needs batch * plane >= 2.
cudaError_t launch_batch_norm_train(cudaStream_t stream, const float* x, const float* gamma, const float* beta,
                                    float* y, float* save_mean, float* save_inv_std, float* run_mean, float* run_var,
                                    int batch, int channels, int64_t plane, float momentum, float eps);

// Evaluation mode with the running statistics.
cudaError_t launch_batch_norm_eval(cudaStream_t stream, const float* x, const float* gamma, const float* beta,
                                   const float* run_mean, const float* run_var, float* y, int batch, int channels,
                                   int64_t plane, float eps);

// Backward of training mode: dx += ..., d_gamma += sum dy * xhat, d_beta += sum dy.
cudaError_t launch_batch_norm_backward(cudaStream_t stream, const float* x, const float* dy, const float* gamma,
                                       const float* save_mean, const float* save_inv_std, float* dx, float* d_gamma,
                                       float* d_beta, int batch, int channels, int64_t plane);

}  // namespace snc
