// Host launchers of the general (dense or grouped) convolution (grouped_conv.cu): the stem's
// dense 3x3, the 1x1 pointwise convs of sep/dil convs and the reduction cells' adapters, and any
// grouped shape the depthwise family does not take. Each checks valid_conv_dims first.
#pragma once

#include <cuda_runtime.h>

#include "conv_dims.cuh"

namespace snc {

// y = conv(x, w) (overwrites y).
cudaError_t launch_grouped_conv_forward(cudaStream_t stream, const ConvDims& d, const float* x, const float* w,
                                        float* y);

// dx += d conv / d x applied to dy.
cudaError_t launch_grouped_conv_backward_data(cudaStream_t stream, const ConvDims& d, const float* dy, const float* w,
                                              float* dx);

// dw += d conv / d w applied to dy.
cudaError_t launch_grouped_conv_backward_filter(cudaStream_t stream, const ConvDims& d, const float* x,
                                                const float* dy, float* dw);

}  // namespace snc
