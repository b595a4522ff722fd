// The C API's training-op entry points: argument checks (null pointers, negative or inconsistent
// extents, too small workspaces give SNC_ERR_ARGUMENT before anything is queued), then the
// launchers in cuda-kernels/. Launch failures come back as the cudaError_t of the launch;
// faults inside a kernel surface at the next waiting call (a copy to the host or snc_synchronize).
#include <cuda_runtime.h>

#include <cstdint>

#include "batch_norm.cuh"
#include "concat.cuh"
#include "context.hpp"
#include "conv_dims.cuh"
#include "depthwise_conv.cuh"
#include "elementwise.cuh"
#include "gated_accumulate.cuh"
#include "grouped_conv.cuh"
#include "linear.cuh"
#include "pooling.cuh"
#include "resample.cuh"
#include "sgd_momentum.cuh"
#include "softmax_cross_entropy.cuh"
#include "spidernet_cuda.h"

static_assert(SNC_MAX_GATED_OPS == snc::kMaxGatedOps, "the C API and the kernels disagree on the op limit");

namespace {

int to_status(cudaError_t error) { return static_cast<int>(error); }

// Binds the context's device; SNC_OK or the failure status.
int enter(snc_context* context) { return snc::bind(context); }

bool read_conv_dims(const int32_t* dims, snc::ConvDims* d) {
    if (dims == nullptr) return false;
    *d = snc::ConvDims{dims[0], dims[1], dims[2], dims[3], dims[4], dims[5],
                       dims[6], dims[7], dims[8], dims[9], dims[10], dims[11]};
    return snc::valid_conv_dims(*d);
}

bool read_pool_dims(const int32_t* dims, snc::PoolDims* d) {
    if (dims == nullptr) return false;
    *d = snc::PoolDims{dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], dims[6], dims[7]};
    return snc::valid_pool_dims(*d);
}

}  // namespace

extern "C" int snc_conv_dims_valid(const int32_t* dims) {
    snc::ConvDims d;
    return read_conv_dims(dims, &d) ? 1 : 0;
}

extern "C" int snc_pool_dims_valid(const int32_t* dims) {
    snc::PoolDims d;
    return read_pool_dims(dims, &d) ? 1 : 0;
}

extern "C" int snc_fill(snc_context* context, float* t, float value, int64_t count) {
    if (t == nullptr || count < 0) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_fill(context->stream, t, value, count));
}

extern "C" int snc_copy(snc_context* context, const float* src, float* dst, int64_t count) {
    if (src == nullptr || dst == nullptr || count < 0) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    if (count == 0 || src == dst) return SNC_OK;
    return to_status(cudaMemcpyAsync(dst, src, static_cast<size_t>(count) * sizeof(float), cudaMemcpyDeviceToDevice,
                                     context->stream));
}

extern "C" int snc_axpy(snc_context* context, float alpha, const float* x, float* y, int64_t count) {
    if (x == nullptr || y == nullptr || count < 0) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_axpy(context->stream, alpha, x, y, count));
}

extern "C" int snc_copy_ints_to_device(snc_context* context, void* device_destination, const int32_t* host_source,
                                       int64_t count) {
    if (count < 0) return SNC_ERR_ARGUMENT;
    return snc_copy_to_device(context, device_destination, host_source, count * static_cast<int64_t>(sizeof(int32_t)));
}

extern "C" int snc_copy_pointers_to_device(snc_context* context, void* device_destination, const int64_t* addresses,
                                           int64_t count) {
    if (count < 0) return SNC_ERR_ARGUMENT;
    static_assert(sizeof(void*) == sizeof(int64_t), "device addresses travel as int64");
    return snc_copy_to_device(context, device_destination, addresses, count * static_cast<int64_t>(sizeof(int64_t)));
}

extern "C" int snc_gated_sum_forward(snc_context* context, const void* x_table, const float* scale, float* y, int ops,
                                     int samples, int64_t per_sample) {
    if (x_table == nullptr || scale == nullptr || y == nullptr || ops < 0 || ops > SNC_MAX_GATED_OPS || samples < 0
        || per_sample < 0) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_gated_sum_forward(context->stream, static_cast<const float* const*>(x_table), scale, y,
                                                   ops, samples, per_sample));
}

extern "C" int64_t snc_gated_sum_backward_workspace_bytes(int ops, int samples, int64_t per_sample) {
    return snc::gated_sum_backward_workspace_bytes(ops, samples, per_sample);
}

extern "C" int snc_gated_sum_backward(snc_context* context, const float* dy, const void* x_table, const float* scale,
                                      const void* dx_table, int ops, int samples, int64_t per_sample,
                                      double* workspace, int64_t workspace_bytes, double* dots) {
    if (dy == nullptr || x_table == nullptr || scale == nullptr || dx_table == nullptr || dots == nullptr || ops < 0
        || ops > SNC_MAX_GATED_OPS || samples < 0 || per_sample < 0) {
        return SNC_ERR_ARGUMENT;
    }
    const int64_t required = snc::gated_sum_backward_workspace_bytes(ops, samples, per_sample);
    if (required > 0 && (workspace == nullptr || workspace_bytes < required)) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_gated_sum_backward(context->stream, dy, static_cast<const float* const*>(x_table),
                                                    scale, static_cast<float* const*>(const_cast<void*>(dx_table)),
                                                    ops, samples, per_sample, workspace, dots));
}

extern "C" int snc_conv2d_forward(snc_context* context, const int32_t* dims, const float* x, const float* w, float* y) {
    snc::ConvDims d;
    if (!read_conv_dims(dims, &d) || x == nullptr || w == nullptr || y == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::is_depthwise(d) ? snc::launch_depthwise_conv_forward(context->stream, d, x, w, y)
                                          : snc::launch_grouped_conv_forward(context->stream, d, x, w, y));
}

extern "C" int snc_conv2d_backward_data(snc_context* context, const int32_t* dims, const float* dy, const float* w,
                                        float* dx) {
    snc::ConvDims d;
    if (!read_conv_dims(dims, &d) || dy == nullptr || w == nullptr || dx == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::is_depthwise(d) ? snc::launch_depthwise_conv_backward_data(context->stream, d, dy, w, dx)
                                          : snc::launch_grouped_conv_backward_data(context->stream, d, dy, w, dx));
}

extern "C" int snc_conv2d_backward_filter(snc_context* context, const int32_t* dims, const float* x, const float* dy,
                                          float* dw) {
    snc::ConvDims d;
    if (!read_conv_dims(dims, &d) || x == nullptr || dy == nullptr || dw == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::is_depthwise(d) ? snc::launch_depthwise_conv_backward_filter(context->stream, d, x, dy, dw)
                                          : snc::launch_grouped_conv_backward_filter(context->stream, d, x, dy, dw));
}

extern "C" int snc_batch_norm_train(snc_context* context, const float* x, const float* gamma, const float* beta,
                                    float* y, float* save_mean, float* save_inv_std, float* run_mean, float* run_var,
                                    int batch, int channels, int64_t plane, float momentum, float eps) {
    if (x == nullptr || gamma == nullptr || beta == nullptr || y == nullptr || save_mean == nullptr
        || save_inv_std == nullptr || run_mean == nullptr || run_var == nullptr || batch < 1 || channels < 1
        || plane < 1 || static_cast<int64_t>(batch) * plane < 2 || !(eps > 0.0f) || !(momentum >= 0.0f)
        || !(momentum <= 1.0f)) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_batch_norm_train(context->stream, x, gamma, beta, y, save_mean, save_inv_std, run_mean,
                                                  run_var, batch, channels, plane, momentum, eps));
}

extern "C" int snc_batch_norm_eval(snc_context* context, const float* x, const float* gamma, const float* beta,
                                   const float* run_mean, const float* run_var, float* y, int batch, int channels,
                                   int64_t plane, float eps) {
    if (x == nullptr || gamma == nullptr || beta == nullptr || run_mean == nullptr || run_var == nullptr
        || y == nullptr || batch < 1 || channels < 1 || plane < 1 || !(eps > 0.0f)) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_batch_norm_eval(context->stream, x, gamma, beta, run_mean, run_var, y, batch, channels,
                                                 plane, eps));
}

extern "C" int snc_batch_norm_backward(snc_context* context, const float* x, const float* dy, const float* gamma,
                                       const float* save_mean, const float* save_inv_std, float* dx, float* d_gamma,
                                       float* d_beta, int batch, int channels, int64_t plane) {
    if (x == nullptr || dy == nullptr || gamma == nullptr || save_mean == nullptr || save_inv_std == nullptr
        || dx == nullptr || d_gamma == nullptr || d_beta == nullptr || batch < 1 || channels < 1 || plane < 1) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_batch_norm_backward(context->stream, x, dy, gamma, save_mean, save_inv_std, dx, d_gamma,
                                                     d_beta, batch, channels, plane));
}

extern "C" int snc_max_pool_forward(snc_context* context, const int32_t* dims, const float* x, float* y) {
    snc::PoolDims d;
    if (!read_pool_dims(dims, &d) || x == nullptr || y == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_max_pool_forward(context->stream, d, x, y));
}

extern "C" int snc_max_pool_backward(snc_context* context, const int32_t* dims, const float* x, const float* dy,
                                     float* dx) {
    snc::PoolDims d;
    if (!read_pool_dims(dims, &d) || x == nullptr || dy == nullptr || dx == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_max_pool_backward(context->stream, d, x, dy, dx));
}

extern "C" int snc_avg_pool_forward(snc_context* context, const int32_t* dims, const float* x, float* y) {
    snc::PoolDims d;
    if (!read_pool_dims(dims, &d) || x == nullptr || y == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_avg_pool_forward(context->stream, d, x, y));
}

extern "C" int snc_avg_pool_backward(snc_context* context, const int32_t* dims, const float* dy, float* dx) {
    snc::PoolDims d;
    if (!read_pool_dims(dims, &d) || dy == nullptr || dx == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_avg_pool_backward(context->stream, d, dy, dx));
}

extern "C" int snc_subsample_forward(snc_context* context, const float* x, float* y, int64_t planes, int h, int w,
                                     int stride, int offset) {
    if (x == nullptr || y == nullptr || planes < 0 || h < 1 || w < 1 || stride < 1 || offset < 0 || offset >= stride) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_subsample_forward(context->stream, x, y, planes, h, w, stride, offset));
}

extern "C" int snc_subsample_backward(snc_context* context, const float* dy, float* dx, int64_t planes, int h, int w,
                                      int stride, int offset) {
    if (dy == nullptr || dx == nullptr || planes < 0 || h < 1 || w < 1 || stride < 1 || offset < 0 || offset >= stride) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_subsample_backward(context->stream, dy, dx, planes, h, w, stride, offset));
}

extern "C" int snc_concat_channels_forward(snc_context* context, const float* x, float* y, int64_t batch, int channels,
                                           int total_channels, int channel_offset, int64_t plane) {
    if (x == nullptr || y == nullptr || !snc::valid_concat_block(batch, channels, total_channels, channel_offset, plane)) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_concat_channels_forward(context->stream, x, y, batch, channels, total_channels,
                                                         channel_offset, plane));
}

extern "C" int snc_concat_channels_backward(snc_context* context, const float* dy, float* dx, int64_t batch,
                                            int channels, int total_channels, int channel_offset, int64_t plane) {
    if (dy == nullptr || dx == nullptr || !snc::valid_concat_block(batch, channels, total_channels, channel_offset, plane)) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_concat_channels_backward(context->stream, dy, dx, batch, channels, total_channels,
                                                          channel_offset, plane));
}

extern "C" int snc_global_avg_pool_forward(snc_context* context, const float* x, float* y, int64_t planes,
                                           int64_t plane) {
    if (x == nullptr || y == nullptr || planes < 0 || plane < 1) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_global_avg_pool_forward(context->stream, x, y, planes, plane));
}

extern "C" int snc_global_avg_pool_backward(snc_context* context, const float* dy, float* dx, int64_t planes,
                                            int64_t plane) {
    if (dy == nullptr || dx == nullptr || planes < 0 || plane < 1) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_global_avg_pool_backward(context->stream, dy, dx, planes, plane));
}

extern "C" int snc_linear_forward(snc_context* context, const float* x, const float* w, const float* b, float* y,
                                  int batch, int in, int out) {
    if (x == nullptr || w == nullptr || b == nullptr || y == nullptr || batch < 0 || in < 0 || out < 0) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_linear_forward(context->stream, x, w, b, y, batch, in, out));
}

extern "C" int snc_linear_backward(snc_context* context, const float* x, const float* w, const float* dy, float* dx,
                                   float* dw, float* db, int batch, int in, int out) {
    if (x == nullptr || w == nullptr || dy == nullptr || dw == nullptr || db == nullptr || batch < 0 || in < 0
        || out < 0) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_linear_backward(context->stream, x, w, dy, dx, dw, db, batch, in, out));
}

extern "C" int64_t snc_softmax_cross_entropy_workspace_bytes(int batch) {
    return snc::softmax_cross_entropy_workspace_bytes(batch);
}

extern "C" int snc_softmax_cross_entropy(snc_context* context, const float* logits, const float* labels,
                                         float* d_logits, int batch, int classes, double scale, double* workspace,
                                         int64_t workspace_bytes, float* loss) {
    if (logits == nullptr || labels == nullptr || d_logits == nullptr || loss == nullptr || workspace == nullptr
        || batch < 1 || classes < 1 || workspace_bytes < snc::softmax_cross_entropy_workspace_bytes(batch)) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_softmax_cross_entropy(context->stream, logits, labels, d_logits, batch, classes, scale,
                                                       workspace, loss));
}

extern "C" int snc_sgd_momentum(snc_context* context, float* param, const float* grad, float* velocity, int64_t count,
                                float lr, float momentum, float weight_decay) {
    if (param == nullptr || grad == nullptr || velocity == nullptr || count < 0) return SNC_ERR_ARGUMENT;
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_sgd_momentum(context->stream, param, grad, velocity, count, lr, momentum,
                                              weight_decay));
}

extern "C" int64_t snc_sgd_momentum_table_entries(int64_t tensors) { return snc::sgd_momentum_table_entries(tensors); }

extern "C" int snc_sgd_momentum_table(const int64_t* addresses_and_counts, int64_t tensors, int64_t* table,
                                      int64_t entries) {
    if (tensors < 0 || entries != snc::sgd_momentum_table_entries(tensors)) return SNC_ERR_ARGUMENT;
    return snc::build_sgd_momentum_table(addresses_and_counts, tensors, table) ? SNC_OK : SNC_ERR_ARGUMENT;
}

extern "C" int snc_sgd_momentum_all(snc_context* context, const void* table, int64_t tensors, int64_t chunks,
                                    const float* lr, float momentum, float weight_decay) {
    if (table == nullptr || lr == nullptr || tensors < 0 || chunks < 0 || (chunks > 0 && tensors == 0)) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = enter(context);
    if (bound != SNC_OK) return bound;
    return to_status(snc::launch_sgd_momentum_all(context->stream, static_cast<const int64_t*>(table), tensors, chunks,
                                                  lr, momentum, weight_decay));
}
