// Host launchers of the Gram-matrix kernels (gram.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// Device workspace (bytes) launch_gram needs for these sizes (0 when one slice covers D).
int64_t gram_workspace_bytes(int samples, int64_t per_sample);

// out[i * samples + j] = sum_d a[i, d] * a[j, d] in float64; a: [samples, per_sample] float32;
// out: [samples, samples] float64 on the device (overwritten); workspace as sized above.
cudaError_t launch_gram(cudaStream_t stream, const float* a, int samples, int64_t per_sample, double* workspace,
                        double* out);

}  // namespace snc
