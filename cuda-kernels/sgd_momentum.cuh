// Host launcher of the SGD momentum update (sgd_momentum.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// PyTorch's SGD with momentum and L2 weight decay, for i < count:
//   g = grad[i] + weight_decay * param[i]; velocity[i] = momentum * velocity[i] + g; param[i] -= lr * velocity[i].
cudaError_t launch_sgd_momentum(cudaStream_t stream, float* param, const float* grad, float* velocity, int64_t count,
                                float lr, float momentum, float weight_decay);

}  // namespace snc
