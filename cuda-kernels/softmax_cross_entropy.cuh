// Host launcher of the softmax cross-entropy head loss (softmax_cross_entropy.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// Device workspace (bytes) launch_softmax_cross_entropy needs: one float64 per sample.
int64_t softmax_cross_entropy_workspace_bytes(int batch);

// loss[0] += scale * mean over rows of -log softmax(logits)[label] (formed in float64, rounded to
// float32 once when added); d_logits += scale * (softmax - onehot(label)) / batch. labels: float32
// [batch] class ids on the device (read there, so a captured graph replays with new labels). A
// label that is not an integer in [0, classes) makes that row's loss, hence the total, NaN and
// leaves its gradient row untouched (the engine checks labels when it uploads them).
cudaError_t launch_softmax_cross_entropy(cudaStream_t stream, const float* logits, const float* labels,
                                         float* d_logits, int batch, int classes, double scale, double* workspace,
                                         float* loss);

}  // namespace snc
