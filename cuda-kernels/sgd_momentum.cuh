// Host launchers of the SGD momentum update (sgd_momentum.cu).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// PyTorch's SGD with momentum and L2 weight decay, for i < count:
//   g = grad[i] + weight_decay * param[i]; velocity[i] = momentum * velocity[i] + g; param[i] -= lr * velocity[i].
cudaError_t launch_sgd_momentum(cudaStream_t stream, float* param, const float* grad, float* velocity, int64_t count,
                                float lr, float momentum, float weight_decay);

// Entries of the fused update's int64 table for `tensors` tensors (-1 when negative).
int64_t sgd_momentum_table_entries(int64_t tensors);

// Host only: fills `table` (sgd_momentum_table_entries(tensors) entries, layout in sgd_momentum.cu)
// from 4 * tensors entries: the param, grad and velocity addresses and the element counts, each
// block of `tensors` in that order. False on a negative count or a null address of a non-empty tensor.
bool build_sgd_momentum_table(const int64_t* addresses_and_counts, int64_t tensors, int64_t* table);

// The update above for every tensor of a device copy of that table, in one launch; `chunks` is the
// table's last entry, `lr` the device address of the learning rate (read by the kernel, so a
// captured graph takes each launch's value from memory). The written tensors of different entries
// must not overlap, nor hold *lr.
cudaError_t launch_sgd_momentum_all(cudaStream_t stream, const int64_t* table, int64_t tensors, int64_t chunks,
                                    const float* lr, float momentum, float weight_decay);

}  // namespace snc
