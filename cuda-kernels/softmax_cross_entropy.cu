// Mean softmax cross-entropy over a batch of logit rows, with its gradient, in one pass.
//
// Data layout: logits, d_logits [N, M] row-major float32; labels [N] float32 (class ids, exact
// below 2^24); workspace [N] float64; loss [1] float32, added to (the step zeroes it first).
//
// Launch shapes:
//   rows    grid (min(ceil(N/256), 8192)), block 256: one thread per row (M is the class count, small)
//   mean    grid (1), block 32: one warp sums the N row losses
//
// Bytes and FLOPs per call: reads 8*N*M (logits twice, cache hits) + 4*N, writes 4*N*M + 8*N + 4;
// about 5*N*M FLOPs plus N*M exponentials, in float64.
//
// Numerics: the row maximum is subtracted before exponentiating; the loss is
// log(sum exp(z - max)) - (z[label] - max), finite even where softmax[label] underflows; float64
// throughout, rounded to float32 only when d_logits is written.
// Reduction strategy (no races, deterministic): each row belongs to one thread; the mean over rows
// is one warp's fixed-order sum (lane slices, then warp_sum), written by lane 0.

#include "softmax_cross_entropy.cuh"

#include "block_reduce.cuh"
#include "launch_shape.cuh"

namespace snc {
namespace {

__global__ void __launch_bounds__(kStreamThreads)
softmax_cross_entropy_rows_kernel(const float* __restrict__ logits, const float* __restrict__ labels,
                                  float* __restrict__ d_logits, int batch, int classes, double scale,
                                  double* __restrict__ row_loss) {
    const int step = gridDim.x * kStreamThreads;
    for (int n = blockIdx.x * kStreamThreads + threadIdx.x; n < batch; n += step) {
        const float* z = logits + static_cast<int64_t>(n) * classes;
        float* dz = d_logits + static_cast<int64_t>(n) * classes;
        const float value = labels[n];
        // !(value >= 0) also catches NaN; the integer test rejects fractional ids
        if (!(value >= 0.0f) || value >= static_cast<float>(classes) || value != truncf(value)) {
            row_loss[n] = nan("");
            continue;
        }
        const int label = static_cast<int>(value);
        double max = -INFINITY;
        for (int m = 0; m < classes; m++) max = fmax(max, static_cast<double>(z[m]));
        double sum = 0.0;
        for (int m = 0; m < classes; m++) sum += exp(static_cast<double>(z[m]) - max);
        row_loss[n] = log(sum) - (static_cast<double>(z[label]) - max);
        const double factor = scale / batch;
        for (int m = 0; m < classes; m++) {
            const double p = exp(static_cast<double>(z[m]) - max) / sum;
            dz[m] += static_cast<float>(factor * (p - (m == label ? 1.0 : 0.0)));
        }
    }
}

// loss[0] += scale * (mean of the row losses), in float64 with one rounding to float32.
__global__ void __launch_bounds__(32)
add_mean_kernel(const double* __restrict__ values, int count, double scale, float* __restrict__ loss) {
    double sum = 0.0;
    for (int i = threadIdx.x; i < count; i += 32) sum += values[i];
    sum = warp_sum(sum);
    if (threadIdx.x == 0) loss[0] = static_cast<float>(static_cast<double>(loss[0]) + scale * (sum / count));
}

}  // namespace

int64_t softmax_cross_entropy_workspace_bytes(int batch) {
    return batch <= 0 ? 0 : static_cast<int64_t>(batch) * static_cast<int64_t>(sizeof(double));
}

cudaError_t launch_softmax_cross_entropy(cudaStream_t stream, const float* logits, const float* labels,
                                         float* d_logits, int batch, int classes, double scale, double* workspace,
                                         float* loss) {
    if (batch < 1 || classes < 1) return cudaErrorInvalidValue;
    softmax_cross_entropy_rows_kernel<<<stream_blocks(batch, kStreamThreads), kStreamThreads, 0, stream>>>(
        logits, labels, d_logits, batch, classes, scale, workspace);
    cudaError_t status = cudaGetLastError();
    if (status != cudaSuccess) return status;
    add_mean_kernel<<<1, 32, 0, stream>>>(workspace, batch, scale, loss);
    return cudaGetLastError();
}

}  // namespace snc
