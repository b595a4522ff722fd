// The extents of one 2-D convolution, shared by the depthwise and grouped convolution families.
// The C API receives them as an int32 array (see spidernet_cuda.h, SNC_CONV_*) and checks them
// with valid_conv_dims before any launch, so a kernel never indexes outside its tensors.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>  // __host__ / __device__ for host-only translation units

namespace snc {

// x [batch, in_c, in_h, in_w], w [out_c, in_c / groups, kernel, kernel], y [batch, out_c, out_h, out_w],
// all dense row-major float32. out_h = (in_h + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1.
struct ConvDims {
    int batch, in_c, in_h, in_w, out_c, out_h, out_w, kernel, stride, padding, dilation, groups;

    __host__ __device__ int in_per_group() const { return in_c / groups; }
    __host__ __device__ int out_per_group() const { return out_c / groups; }
    __host__ __device__ int64_t x_count() const { return static_cast<int64_t>(batch) * in_c * in_h * in_w; }
    __host__ __device__ int64_t y_count() const { return static_cast<int64_t>(batch) * out_c * out_h * out_w; }
    __host__ __device__ int64_t w_count() const {
        return static_cast<int64_t>(out_c) * in_per_group() * kernel * kernel;
    }
};

// Output extent of one axis; floor division, so a window larger than the padded input gives <= 0.
inline int conv_out_size(int in, int kernel, int stride, int padding, int dilation) {
    const int64_t numerator = static_cast<int64_t>(in) + 2LL * padding - static_cast<int64_t>(dilation) * (kernel - 1) - 1;
    if (numerator < 0) return 0;
    return static_cast<int>(numerator / stride + 1);
}

// Every extent positive, channels divisible by groups, output extents as the formula says, and
// element counts within int64 and the grid limits the launchers assume.
inline bool valid_conv_dims(const ConvDims& d) {
    if (d.batch < 1 || d.in_c < 1 || d.in_h < 1 || d.in_w < 1 || d.out_c < 1 || d.kernel < 1 || d.stride < 1
        || d.padding < 0 || d.dilation < 1 || d.groups < 1) {
        return false;
    }
    if (d.in_c % d.groups != 0 || d.out_c % d.groups != 0) return false;
    if (d.out_h < 1 || d.out_w < 1) return false;
    if (d.out_h != conv_out_size(d.in_h, d.kernel, d.stride, d.padding, d.dilation)) return false;
    if (d.out_w != conv_out_size(d.in_w, d.kernel, d.stride, d.padding, d.dilation)) return false;
    // one block per weight element in the filter-gradient kernels: gridDim.x < 2^31
    return d.w_count() < (1LL << 31) && d.kernel <= 64;
}

}  // namespace snc
