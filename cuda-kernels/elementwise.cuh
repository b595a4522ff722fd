// Host launchers of the elementwise kernels (elementwise.cu): fill and axpy over flat float32 arrays.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// t[i] = value for i < count.
cudaError_t launch_fill(cudaStream_t stream, float* t, float value, int64_t count);

// y[i] += alpha * x[i] for i < count; x and y may be the same array.
cudaError_t launch_axpy(cudaStream_t stream, float alpha, const float* x, float* y, int64_t count);

}  // namespace snc
