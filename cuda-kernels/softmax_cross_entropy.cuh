// Host launcher of the softmax cross-entropy head loss (softmax_cross_entropy.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// Device workspace (bytes) launch_softmax_cross_entropy needs: one float64 per sample.
int64_t softmax_cross_entropy_workspace_bytes(int batch);

// loss_out[0] = mean over rows of -log softmax(logits)[label] (float64, on the device);
// d_logits += scale * (softmax - onehot(label)) / batch. A label outside [0, classes) makes
// that row's loss NaN and leaves its gradient row untouched (the Java side rejects such labels first).
cudaError_t launch_softmax_cross_entropy(cudaStream_t stream, const float* logits, const int32_t* labels,
                                         float* d_logits, int batch, int classes, float scale, double* workspace,
                                         double* loss_out);

}  // namespace snc
