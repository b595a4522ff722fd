// Deterministic warp and block sums. The summation order depends only on the block shape, never
// on timing, so a reduction gives bit-identical results from run to run (no atomics).
#pragma once

namespace snc {

// Sum over the 32 lanes of a full warp; the total lands in lane 0.
__device__ __forceinline__ double warp_sum(double value) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        value += __shfl_down_sync(0xffffffffu, value, offset);
    }
    return value;
}

// Sum over all kThreads threads of a block; every thread must call it (it synchronises), and the
// total is valid in thread 0 only. `thread` is threadIdx.x, passed in by the kernel.
template <int kThreads>
__device__ __forceinline__ double block_sum(double value, int thread) {
    static_assert(kThreads % 32 == 0 && kThreads <= 1024, "block_sum needs whole warps");
    constexpr int kWarps = kThreads / 32;
    __shared__ double warp_totals[kWarps];
    const int lane = thread % 32;
    const int warp = thread / 32;
    value = warp_sum(value);
    if (lane == 0) warp_totals[warp] = value;
    __syncthreads();
    value = 0.0;
    if (warp == 0) {
        if (lane < kWarps) value = warp_totals[lane];
        value = warp_sum(value);
    }
    return value;
}

}  // namespace snc
