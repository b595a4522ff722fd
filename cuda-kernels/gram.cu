// The Gram matrix of the samples of a: G[i, j] = sum_d a[i, d] * a[j, d], every product and sum in
// float64 (the NTK's condition number divides by G's smallest eigenvalue).
//
// Data layout: a [N, D] float32 row-major; out [N, N] float64 row-major (overwritten);
// workspace [S, N, N] float64 partial Grams when D is cut into S > 1 slices.
//
// Launch shapes:
//   partial  grid (T, T, S) with T = ceil(N / 16), block 256 as a 16 x 16 tile of G; blocks above
//            the diagonal return at once (G is symmetric). Slice s covers positions
//            [s * L, min(D, (s + 1) * L)), L a multiple of 32. Per step the block stages 32
//            positions of its 16 + 16 rows in shared memory (rows padded to 33: no bank
//            conflicts) and thread (r, c) adds 32 float64 products. S is chosen so that about
//            kTargetBlocks tiles run (small N, long D: the NTK's 192 samples x all weights) and
//            no slice is shorter than kMinSlice positions.
//   finish   (S > 1 only) grid min(ceil(N*N / 256), 8192), block 256, grid-stride: out[e] = sum
//            over s = 0..S-1, in that order, of workspace[s, e].
//
// Bytes and FLOPs per call: N*(N+1)/2 * D fused multiply-adds in float64 (N^2 * D FLOPs);
// reads about 4 * T(T+1)/2 * 32 * D bytes of a (each tile row re-reads its 16 rows: mostly from
// L2); writes 8*N^2 per slice, plus 8*S*N^2 read and 8*N^2 written by the finish.
//
// Reduction strategy (no races by construction, no atomics, deterministic): each (pair, slice)
// has one owning thread that sums its positions in index order; the slices are combined in slice
// order by one thread per element. The thread of pair (i, j), i >= j, writes both G[i, j] and G[j, i].

#include "gram.cuh"

#include <cstdint>

#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kTile = 16;
constexpr int kStep = 32;                // positions staged per step
constexpr int64_t kTargetBlocks = 1024;  // enough tiles in flight to fill an H100 several times
constexpr int64_t kMinSlice = 4096;      // positions per slice at least: the finish stays cheap
constexpr int64_t kMaxSlices = 1024;

struct Slicing {
    int64_t slices;
    int64_t length;  // positions per slice, a multiple of kStep
};

Slicing slicing(int samples, int64_t per_sample) {
    const int64_t tiles = (static_cast<int64_t>(samples) + kTile - 1) / kTile;
    const int64_t live_tiles = tiles * (tiles + 1) / 2;
    int64_t slices = (kTargetBlocks + live_tiles - 1) / live_tiles;
    const int64_t by_length = (per_sample + kMinSlice - 1) / kMinSlice;
    if (slices > by_length) slices = by_length;
    if (slices > kMaxSlices) slices = kMaxSlices;
    if (slices < 1) slices = 1;
    int64_t length = (per_sample + slices - 1) / slices;
    length = (length + kStep - 1) / kStep * kStep;
    if (length < kStep) length = kStep;
    slices = (per_sample + length - 1) / length;  // rounding up the length may leave the last slice empty
    if (slices < 1) slices = 1;
    return Slicing{slices, length};
}

__global__ void __launch_bounds__(kTile * kTile)
gram_partial_kernel(const float* __restrict__ a, int samples, int64_t per_sample, int64_t slice_length,
                    double* __restrict__ partial) {
    const int tile_row = blockIdx.y;
    const int tile_col = blockIdx.x;
    if (tile_col > tile_row) return;  // the whole block leaves together: no barrier is skipped
    __shared__ float rows_a[kTile][kStep + 1];
    __shared__ float rows_b[kTile][kStep + 1];
    const int r = threadIdx.x / kTile;
    const int c = threadIdx.x % kTile;
    const int i = tile_row * kTile + r;
    const int j = tile_col * kTile + c;
    const int64_t begin = static_cast<int64_t>(blockIdx.z) * slice_length;
    int64_t end = begin + slice_length;
    if (end > per_sample) end = per_sample;
    double sum = 0.0;
    for (int64_t base = begin; base < end; base += kStep) {
        for (int e = threadIdx.x; e < kTile * kStep; e += kTile * kTile) {
            const int row = e / kStep;
            const int col = e % kStep;
            const int64_t d = base + col;
            const int ia = tile_row * kTile + row;
            const int ib = tile_col * kTile + row;
            rows_a[row][col] = (ia < samples && d < end) ? a[static_cast<int64_t>(ia) * per_sample + d] : 0.0f;
            rows_b[row][col] = (ib < samples && d < end) ? a[static_cast<int64_t>(ib) * per_sample + d] : 0.0f;
        }
        __syncthreads();
#pragma unroll 8
        for (int t = 0; t < kStep; ++t) {
            sum = fma(static_cast<double>(rows_a[r][t]), static_cast<double>(rows_b[c][t]), sum);
        }
        __syncthreads();
    }
    if (i < samples && j <= i) {
        double* slice = partial + static_cast<int64_t>(blockIdx.z) * samples * samples;
        slice[static_cast<int64_t>(i) * samples + j] = sum;
        if (j != i) slice[static_cast<int64_t>(j) * samples + i] = sum;
    }
}

__global__ void __launch_bounds__(kStreamThreads)
gram_finish_kernel(const double* __restrict__ partial, int64_t elements, int64_t slices, double* __restrict__ out) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    for (int64_t e = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; e < elements; e += stride) {
        double sum = 0.0;
        for (int64_t s = 0; s < slices; ++s) sum += partial[s * elements + e];
        out[e] = sum;
    }
}

}  // namespace

int64_t gram_workspace_bytes(int samples, int64_t per_sample) {
    if (samples <= 0 || per_sample <= 0) return 0;
    const Slicing s = slicing(samples, per_sample);
    if (s.slices == 1) return 0;
    return s.slices * samples * static_cast<int64_t>(samples) * static_cast<int64_t>(sizeof(double));
}

cudaError_t launch_gram(cudaStream_t stream, const float* a, int samples, int64_t per_sample, double* workspace,
                        double* out) {
    if (samples < 0 || per_sample < 0) return cudaErrorInvalidValue;
    const int64_t tiles = (static_cast<int64_t>(samples) + kTile - 1) / kTile;
    if (tiles > kMaxGridY) return cudaErrorInvalidValue;
    if (samples == 0) return cudaSuccess;
    const int64_t elements = static_cast<int64_t>(samples) * samples;
    if (per_sample == 0) {
        return cudaMemsetAsync(out, 0, static_cast<size_t>(elements) * sizeof(double), stream);
    }
    const Slicing s = slicing(samples, per_sample);
    const dim3 grid(static_cast<unsigned>(tiles), static_cast<unsigned>(tiles), static_cast<unsigned>(s.slices));
    gram_partial_kernel<<<grid, kTile * kTile, 0, stream>>>(a, samples, per_sample, s.length,
                                                            s.slices == 1 ? out : workspace);
    cudaError_t status = cudaGetLastError();
    if (status != cudaSuccess || s.slices == 1) return status;
    gram_finish_kernel<<<stream_blocks(elements, kStreamThreads), kStreamThreads, 0, stream>>>(workspace, elements,
                                                                                               s.slices, out);
    return cudaGetLastError();
}

}  // namespace snc
