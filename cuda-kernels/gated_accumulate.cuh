// Host launchers of the gated mixed-op kernels (gated_accumulate.cu). Each returns the launch
// status (cudaGetLastError); execution errors surface at the next synchronisation.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// y[n, :] += (multiplier * scale[n]) * x[n, :] for n < samples; x, y: [samples, per_sample] float32;
// scale: [samples] float32 in device memory (a row of the plan's gates.path), multiplier by value.
cudaError_t launch_scale_add_per_sample(cudaStream_t stream, const float* x, const float* scale, float multiplier,
                                        float* y, int samples, int64_t per_sample);

// Device workspace (bytes) launch_dot_per_sample needs for these sizes.
int64_t dot_per_sample_workspace_bytes(int samples, int64_t per_sample);

// out[n] = sum_i a[n, i] * b[n, i], accumulated in float64; a, b: [samples, per_sample] float32;
// out: [samples] float64; workspace: at least dot_per_sample_workspace_bytes(...) bytes.
cudaError_t launch_dot_per_sample(cudaStream_t stream, const float* a, const float* b, int samples,
                                  int64_t per_sample, double* workspace, double* out);

// gate_grads[index] += sum_n (multiplier * factor[n]) * (sum_i dy[n, i] * x[n, i]), the sums in
// float64: one gate's straight-through gradient with its drop-path factors, left on the device.
// dy, x: [samples, per_sample] float32; factor: [samples] float32 in device memory (nothing on the
// host is read, so the launches can be captured in a graph); dots: [samples] float64 device
// scratch; workspace as for launch_dot_per_sample; gate_grads: float32 device array with more
// than `index` entries.
cudaError_t launch_gate_gradient(cudaStream_t stream, const float* dy, const float* x, int samples, int64_t per_sample,
                                 double* workspace, double* dots, const float* factor, float multiplier,
                                 float* gate_grads, int index);

// Most ops one fused gated-sum launch serves (an edge has at most the seven ops of the space).
constexpr int kMaxGatedOps = 8;

// Fused forward of one edge: y[n, i] += sum over j < ops of scale[j * samples + n] * x[j][n, i].
// x: device array of `ops` device pointers, each [samples, per_sample]; scale: [ops, samples] float32.
cudaError_t launch_gated_sum_forward(cudaStream_t stream, const float* const* x, const float* scale, float* y, int ops,
                                     int samples, int64_t per_sample);

// Device workspace (bytes) launch_gated_sum_backward needs for these sizes.
int64_t gated_sum_backward_workspace_bytes(int ops, int samples, int64_t per_sample);

// Fused backward of one edge: dx[j][n, :] += scale[j * samples + n] * dy[n, :] for each j whose
// dx[j] is not null, and dots[j * samples + n] = sum_i dy[n, i] * x[j][n, i] (float64).
cudaError_t launch_gated_sum_backward(cudaStream_t stream, const float* dy, const float* const* x, const float* scale,
                                      float* const* dx, int ops, int samples, int64_t per_sample, double* workspace,
                                      double* dots);

// The fold of launch_gated_sum_backward's dots into the gate gradients, all ops in one launch: for
// j = 0 .. ops - 1 in order, gate_grads[host_gates[j]] += sum_n (host_multipliers[j] *
// factors[host_rows[j] * samples + n]) * dots[j * samples + n], each op in float64 and rounded
// once, bit-identical to one launch_gate_gradient per op over the same dots. dots: device [ops,
// samples] float64; factors: device [rows, samples] float32; the host arrays (ops entries,
// ops <= kMaxGatedOps, rows and gates >= 0) are copied into the launch.
cudaError_t launch_gate_gradient_fold(cudaStream_t stream, const double* dots, const float* factors, int samples,
                                      const int32_t* host_rows, const float* host_multipliers,
                                      const int32_t* host_gates, int ops, float* gate_grads);

}  // namespace snc
