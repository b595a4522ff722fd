// Host launchers of the fully connected head (linear.cu): x [N, K], w [M, K], b [M], y [N, M], float32.
#pragma once

#include <cuda_runtime.h>

namespace snc {

// y = x * w^T + b (overwrites y).
cudaError_t launch_linear_forward(cudaStream_t stream, const float* x, const float* w, const float* b, float* y,
                                  int batch, int in, int out);

// dx += dy * w (skipped when dx is null); dw += dy^T * x; db += column sums of dy.
cudaError_t launch_linear_backward(cudaStream_t stream, const float* x, const float* w, const float* dy, float* dx,
                                   float* dw, float* db, int batch, int in, int out);

}  // namespace snc
