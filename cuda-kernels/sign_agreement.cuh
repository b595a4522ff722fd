// Host launchers of the sign-agreement (Hamming) kernels (sign_agreement.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// 32-bit words of one packed code of `per_sample` sign bits.
int64_t sign_code_words(int64_t per_sample);

// Device workspace (bytes) launch_sign_agreement needs: the packed codes, samples x words uint32.
int64_t sign_agreement_workspace_bytes(int samples, int64_t per_sample);

// k[i, j] += #{d : (x[i, d] > 0) == (x[j, d] > 0)} for i, j < samples (NaN counts as not positive);
// x: [samples, per_sample] float32; k: [samples, samples] float32; workspace as sized above.
cudaError_t launch_sign_agreement(cudaStream_t stream, const float* x, int samples, int64_t per_sample, float* k,
                                  uint32_t* workspace);

}  // namespace snc
