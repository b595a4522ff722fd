// Host launchers of subsampling and global average pooling (resample.cu) over [N, C, H, W]
// float32 viewed as `planes` = N * C independent H x W images.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// y = x[:, :, offset::stride, offset::stride] (0 where that is past the edge); out_h = ceil(h / stride),
// out_w = ceil(w / stride); 0 <= offset < stride.
cudaError_t launch_subsample_forward(cudaStream_t stream, const float* x, float* y, int64_t planes, int h, int w,
                                     int stride, int offset);

// dx[:, :, offset::stride, offset::stride] += dy.
cudaError_t launch_subsample_backward(cudaStream_t stream, const float* dy, float* dx, int64_t planes, int h, int w,
                                      int stride, int offset);

// y[p] = mean of plane p (plane = h * w elements).
cudaError_t launch_global_avg_pool_forward(cudaStream_t stream, const float* x, float* y, int64_t planes,
                                           int64_t plane);

// dx[p, :] += dy[p] / plane.
cudaError_t launch_global_avg_pool_backward(cudaStream_t stream, const float* dy, float* dx, int64_t planes,
                                            int64_t plane);

}  // namespace snc
