// Host launchers of the ReLU kernels (relu.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// y[i] = max(x[i], 0) for i < count (NaN passes through); x, y float32, may alias.
cudaError_t launch_relu_forward(cudaStream_t stream, const float* x, float* y, int64_t count);

// dx[i] += x[i] > 0 ? dy[i] : 0 for i < count; x is the forward input.
cudaError_t launch_relu_backward(cudaStream_t stream, const float* x, const float* dy, float* dx, int64_t count);

}  // namespace snc
