// Host launchers of 2-D max and average pooling (pooling.cu) over [N, C, H, W] float32, viewed
// as `planes` = N * C independent H x W images. Output extent: (in + 2 * padding - kernel) / stride + 1.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// Pooling window geometry and extents; valid_pool_dims checks them before any launch.
struct PoolDims {
    int64_t planes;
    int in_h, in_w, out_h, out_w, kernel, stride, padding;
};

bool valid_pool_dims(const PoolDims& d);

// Max pooling; padding is minus infinity (never wins).
cudaError_t launch_max_pool_forward(cudaStream_t stream, const PoolDims& d, const float* x, float* y);

// dx += dy routed to each window's first maximum in row-major window order.
cudaError_t launch_max_pool_backward(cudaStream_t stream, const PoolDims& d, const float* x, const float* dy, float* dx);

// Average pooling dividing by kernel * kernel always (padded zeros count).
cudaError_t launch_avg_pool_forward(cudaStream_t stream, const PoolDims& d, const float* x, float* y);

// dx += gradient of the average pooling above.
cudaError_t launch_avg_pool_backward(cudaStream_t stream, const PoolDims& d, const float* dy, float* dx);

}  // namespace snc
