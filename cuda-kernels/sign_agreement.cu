// NASWOT's Hamming kernel over one ReLU layer: k[i, j] += the number of units on which samples i
// and j have the same sign bit [x > 0] (N_A - hamming(c_i, c_j), summed over layers by the caller).
//
// Data layout: x [N, D] float32 row-major (D = elements per sample), k [N, N] float32 row-major,
// workspace: codes [N, W] uint32 with W = ceil(D / 32), bit b of word w of row i = [x[i, 32w + b] > 0];
// the padding bits of each row's last word are 0 in every row, so they never differ.
//
// Launch shapes:
//   pack       grid min(ceil(N*W / 8), 8192), block 256 = 8 warps, grid-stride over the N*W words;
//              one warp per word: lane l reads x[i, 32w + l] (coalesced) and __ballot_sync makes
//              the word, which lane 0 writes.
//   agreement  grid (T, T) with T = ceil(N / 16), block 256 as a 16 x 16 tile of k; blocks above
//              the diagonal (tile column > tile row) return at once, so each unordered pair is
//              counted once. Per step the block stages 32 words of its 16 + 16 rows in shared
//              memory (rows padded to 33 words: no bank conflicts), and thread (r, c) adds
//              popc(a[r][w] ^ b[c][w]) into an integer count.
//
// Bytes and FLOPs per call: pack reads 4*N*D and writes 4*N*W; agreement reads about
// 4 * (T(T+1)/2) * 32 * W bytes of codes (mostly from L2: 2*N*W/16 words per tile row) and does
// N*(N+1)/2 * W XOR + popcount pairs; writes 2 * 4*N^2 (read-modify-write of k).
//
// Reduction strategy (no races by construction, no atomics, deterministic): the count of a pair is
// an integer sum, exact in any order; the thread of pair (i, j), i >= j, is the only writer of
// k[i, j] and k[j, i] and adds to each once. The float32 k holds the counts exactly below 2^24.

#include "sign_agreement.cuh"

#include <cstdint>

#include "launch_shape.cuh"

namespace snc {
namespace {

constexpr int kTile = 16;          // output tile edge: 16 x 16 = 256 threads
constexpr int kWordsPerStep = 32;  // code words staged per step
constexpr int kWarpsPerBlock = kStreamThreads / 32;

__global__ void __launch_bounds__(kStreamThreads)
pack_signs_kernel(const float* __restrict__ x, int samples, int64_t per_sample, int64_t words,
                  uint32_t* __restrict__ codes) {
    const int lane = threadIdx.x % 32;
    const int64_t total = static_cast<int64_t>(samples) * words;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kWarpsPerBlock;
    for (int64_t word = static_cast<int64_t>(blockIdx.x) * kWarpsPerBlock + threadIdx.x / 32; word < total;
         word += stride) {
        const int64_t row = word / words;
        const int64_t position = (word % words) * 32 + lane;
        // a NaN compares false, so it is "not positive", as in the reference backend
        const bool positive = position < per_sample && x[row * per_sample + position] > 0.0f;
        const uint32_t bits = __ballot_sync(0xffffffffu, positive);
        if (lane == 0) codes[word] = bits;
    }
}

__global__ void __launch_bounds__(kTile * kTile)
agreement_kernel(const uint32_t* __restrict__ codes, int samples, int64_t words, int64_t per_sample,
                 float* __restrict__ k) {
    const int tile_row = blockIdx.y;
    const int tile_col = blockIdx.x;
    if (tile_col > tile_row) return;  // the whole block leaves together: no barrier is skipped
    __shared__ uint32_t rows_a[kTile][kWordsPerStep + 1];
    __shared__ uint32_t rows_b[kTile][kWordsPerStep + 1];
    const int r = threadIdx.x / kTile;
    const int c = threadIdx.x % kTile;
    const int i = tile_row * kTile + r;
    const int j = tile_col * kTile + c;
    int64_t differ = 0;
    for (int64_t base = 0; base < words; base += kWordsPerStep) {
        // 256 threads stage 2 x 16 x 32 words, two per tile; out-of-range words read as 0
        for (int e = threadIdx.x; e < kTile * kWordsPerStep; e += kTile * kTile) {
            const int row = e / kWordsPerStep;
            const int col = e % kWordsPerStep;
            const int64_t w = base + col;
            const int ia = tile_row * kTile + row;
            const int ib = tile_col * kTile + row;
            rows_a[row][col] = (ia < samples && w < words) ? codes[static_cast<int64_t>(ia) * words + w] : 0u;
            rows_b[row][col] = (ib < samples && w < words) ? codes[static_cast<int64_t>(ib) * words + w] : 0u;
        }
        __syncthreads();
        int step = 0;
#pragma unroll 8
        for (int w = 0; w < kWordsPerStep; ++w) step += __popc(rows_a[r][w] ^ rows_b[c][w]);
        differ += step;
        __syncthreads();
    }
    if (i < samples && j <= i) {
        const float agree = static_cast<float>(per_sample - differ);
        k[static_cast<int64_t>(i) * samples + j] += agree;
        if (j != i) k[static_cast<int64_t>(j) * samples + i] += agree;
    }
}

}  // namespace

int64_t sign_code_words(int64_t per_sample) { return per_sample <= 0 ? 0 : (per_sample + 31) / 32; }

int64_t sign_agreement_workspace_bytes(int samples, int64_t per_sample) {
    if (samples <= 0) return 0;
    return static_cast<int64_t>(samples) * sign_code_words(per_sample) * static_cast<int64_t>(sizeof(uint32_t));
}

cudaError_t launch_sign_agreement(cudaStream_t stream, const float* x, int samples, int64_t per_sample, float* k,
                                  uint32_t* workspace) {
    if (samples < 0 || per_sample < 0) return cudaErrorInvalidValue;
    const int64_t tiles = (static_cast<int64_t>(samples) + kTile - 1) / kTile;
    if (tiles > kMaxGridY) return cudaErrorInvalidValue;
    if (samples == 0) return cudaSuccess;
    const int64_t words = sign_code_words(per_sample);
    if (words > 0) {
        const int64_t total = static_cast<int64_t>(samples) * words;
        pack_signs_kernel<<<stream_blocks(total, kWarpsPerBlock), kStreamThreads, 0, stream>>>(x, samples, per_sample,
                                                                                               words, workspace);
        const cudaError_t status = cudaGetLastError();
        if (status != cudaSuccess) return status;
    }
    // with D = 0 every pair agrees on no unit: the kernel adds 0 without reading any code
    const dim3 grid(static_cast<unsigned>(tiles), static_cast<unsigned>(tiles));
    agreement_kernel<<<grid, kTile * kTile, 0, stream>>>(workspace, samples, words, per_sample, k);
    return cudaGetLastError();
}

}  // namespace snc
