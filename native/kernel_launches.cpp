// The C API's kernel entry points: argument checks, then the launchers in cuda-kernels/.
#include <cuda_runtime.h>

#include <cstdint>

#include "augment.cuh"
#include "context.hpp"
#include "gated_accumulate.cuh"
#include "gram.cuh"
#include "relu.cuh"
#include "sign_agreement.cuh"
#include "spidernet_cuda.h"

extern "C" int snc_scale_add_per_sample(snc_context* context, const float* x, const float* scale, float multiplier,
                                        float* y, int samples, int64_t per_sample) {
    if (x == nullptr || scale == nullptr || y == nullptr || samples < 0 || per_sample < 0) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(
        snc::launch_scale_add_per_sample(context->stream, x, scale, multiplier, y, samples, per_sample));
}

extern "C" int64_t snc_dot_per_sample_workspace_bytes(int samples, int64_t per_sample) {
    return snc::dot_per_sample_workspace_bytes(samples, per_sample);
}

extern "C" int snc_dot_per_sample(snc_context* context, const float* a, const float* b, int samples,
                                  int64_t per_sample, double* workspace, int64_t workspace_bytes, double* out) {
    if (a == nullptr || b == nullptr || out == nullptr || samples < 0 || per_sample < 0) return SNC_ERR_ARGUMENT;
    const int64_t required = snc::dot_per_sample_workspace_bytes(samples, per_sample);
    if (required > 0 && (workspace == nullptr || workspace_bytes < required)) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(
        snc::launch_dot_per_sample(context->stream, a, b, samples, per_sample, workspace, out));
}

extern "C" int snc_gate_gradient(snc_context* context, const float* dy, const float* x, int samples, int64_t per_sample,
                                 double* workspace, int64_t workspace_bytes, double* dots, const float* factor,
                                 float multiplier, float* gate_grads, int index) {
    if (dy == nullptr || x == nullptr || dots == nullptr || factor == nullptr || gate_grads == nullptr
        || samples < 0 || per_sample < 0 || index < 0) {
        return SNC_ERR_ARGUMENT;
    }
    const int64_t required = snc::dot_per_sample_workspace_bytes(samples, per_sample);
    if (required > 0 && (workspace == nullptr || workspace_bytes < required)) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(snc::launch_gate_gradient(context->stream, dy, x, samples, per_sample, workspace, dots,
                                                      factor, multiplier, gate_grads, index));
}

static_assert(SNC_MAX_GATED_OPS == snc::kMaxGatedOps, "the C API and the kernels disagree");

extern "C" int snc_gate_gradient_fold(snc_context* context, const double* dots, const float* factors, int samples,
                                      const int32_t* host_rows, const float* host_multipliers,
                                      const int32_t* host_gates, int ops, float* gate_grads) {
    if (dots == nullptr || factors == nullptr || host_rows == nullptr || host_multipliers == nullptr
        || host_gates == nullptr || gate_grads == nullptr || samples < 0 || ops < 0 || ops > SNC_MAX_GATED_OPS) {
        return SNC_ERR_ARGUMENT;
    }
    for (int j = 0; j < ops; j++) {
        if (host_rows[j] < 0 || host_gates[j] < 0) return SNC_ERR_ARGUMENT;
    }
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(snc::launch_gate_gradient_fold(context->stream, dots, factors, samples, host_rows,
                                                           host_multipliers, host_gates, ops, gate_grads));
}

extern "C" int snc_relu_forward(snc_context* context, const float* x, float* y, int64_t count) {
    if (x == nullptr || y == nullptr || count < 0) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(snc::launch_relu_forward(context->stream, x, y, count));
}

extern "C" int snc_relu_backward(snc_context* context, const float* x, const float* dy, float* dx, int64_t count) {
    if (x == nullptr || dy == nullptr || dx == nullptr || count < 0) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(snc::launch_relu_backward(context->stream, x, dy, dx, count));
}

static_assert(SNC_AUGMENT_MAX_CHANNELS == snc::kMaxAugmentChannels, "the C API and the kernels disagree");

extern "C" int snc_augment(snc_context* context, const uint8_t* raw, float* out, int batch, int channels, int height,
                           int width, int samples, const int32_t* params, const double* host_mean,
                           const double* host_scale, int padding, int cutout) {
    if (out == nullptr || host_mean == nullptr || host_scale == nullptr || batch < 0 || channels < 1
        || channels > SNC_AUGMENT_MAX_CHANNELS || height < 0 || width < 0 || samples < 0 || samples > batch
        || (samples > 0 && (params == nullptr || raw == nullptr)) || padding < 0 || cutout < 0) {
        return SNC_ERR_ARGUMENT;
    }
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(snc::launch_augment(context->stream, raw, out, batch, channels, height, width, samples,
                                                params, host_mean, host_scale, padding, cutout));
}

extern "C" int64_t snc_sign_agreement_workspace_bytes(int samples, int64_t per_sample) {
    return snc::sign_agreement_workspace_bytes(samples, per_sample);
}

extern "C" int snc_sign_agreement(snc_context* context, const float* x, int samples, int64_t per_sample, float* k,
                                  void* workspace, int64_t workspace_bytes) {
    if (k == nullptr || samples < 0 || per_sample < 0) return SNC_ERR_ARGUMENT;
    const int64_t required = snc::sign_agreement_workspace_bytes(samples, per_sample);
    if (required > 0 && (x == nullptr || workspace == nullptr || workspace_bytes < required)) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(
        snc::launch_sign_agreement(context->stream, x, samples, per_sample, k, static_cast<uint32_t*>(workspace)));
}

extern "C" int64_t snc_gram_workspace_bytes(int samples, int64_t per_sample) {
    return snc::gram_workspace_bytes(samples, per_sample);
}

extern "C" int snc_gram(snc_context* context, const float* a, int samples, int64_t per_sample, double* workspace,
                        int64_t workspace_bytes, double* out) {
    if (out == nullptr || samples < 0 || per_sample < 0) return SNC_ERR_ARGUMENT;
    if (samples > 0 && per_sample > 0 && a == nullptr) return SNC_ERR_ARGUMENT;
    const int64_t required = snc::gram_workspace_bytes(samples, per_sample);
    if (required > 0 && (workspace == nullptr || workspace_bytes < required)) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return static_cast<int>(snc::launch_gram(context->stream, a, samples, per_sample, workspace, out));
}
