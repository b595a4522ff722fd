// Host launchers of the gated mixed-op kernels (gated_accumulate.cu). Each returns the launch
// status (cudaGetLastError); execution errors surface at the next synchronisation.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// y[n, :] += scale[n] * x[n, :] for n < samples; x, y: [samples, per_sample] float32; scale: [samples].
cudaError_t launch_scale_add_per_sample(cudaStream_t stream, const float* x, const float* scale, float* y,
                                        int samples, int64_t per_sample);

// Device workspace (bytes) launch_dot_per_sample needs for these sizes.
int64_t dot_per_sample_workspace_bytes(int samples, int64_t per_sample);

// out[n] = sum_i a[n, i] * b[n, i], accumulated in float64; a, b: [samples, per_sample] float32;
// out: [samples] float64; workspace: at least dot_per_sample_workspace_bytes(...) bytes.
cudaError_t launch_dot_per_sample(cudaStream_t stream, const float* a, const float* b, int samples,
                                  int64_t per_sample, double* workspace, double* out);

}  // namespace snc
