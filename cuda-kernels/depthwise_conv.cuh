// Host launchers of the depthwise k x k convolution (depthwise_conv.cu): groups == in_c == out_c.
// Each returns the launch status; all check valid_conv_dims and the depthwise shape first.
#pragma once

#include <cuda_runtime.h>

#include "conv_dims.cuh"

namespace snc {

// True when d is a depthwise convolution these kernels serve.
bool is_depthwise(const ConvDims& d);

// y = conv(x, w) (overwrites y).
cudaError_t launch_depthwise_conv_forward(cudaStream_t stream, const ConvDims& d, const float* x, const float* w,
                                          float* y);

// dx += d conv / d x applied to dy.
cudaError_t launch_depthwise_conv_backward_data(cudaStream_t stream, const ConvDims& d, const float* dy,
                                                const float* w, float* dx);

// dw += d conv / d w applied to dy.
cudaError_t launch_depthwise_conv_backward_filter(cudaStream_t stream, const ConvDims& d, const float* x,
                                                  const float* dy, float* dw);

}  // namespace snc
