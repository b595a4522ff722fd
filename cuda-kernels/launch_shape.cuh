// Launch-shape helpers shared by the kernel families. Host-side only: kernels receive their
// indices as arguments to device helpers, never through these functions.
#pragma once

#include <cstdint>

namespace snc {

// Threads per block of the streaming (memory-bound) kernels. 256 keeps eight blocks resident per
// SM on sm_80 / sm_90 within __launch_bounds__, enough bytes in flight to saturate HBM.
constexpr int kStreamThreads = 256;

// Upper bound on blocks of one grid-stride launch; beyond this, more blocks only add scheduling
// overhead because every SM is already full several times over.
constexpr int64_t kMaxStreamBlocks = 8192;

// Largest gridDim.y (and gridDim.z) the hardware accepts; per-sample kernels put samples on y.
constexpr int64_t kMaxGridY = 65535;

// Blocks for a grid-stride loop over `elements` items with `threads` threads per block.
inline unsigned stream_blocks(int64_t elements, int threads, int64_t cap = kMaxStreamBlocks) {
    int64_t blocks = (elements + threads - 1) / threads;
    if (blocks > cap) blocks = cap;
    return static_cast<unsigned>(blocks < 1 ? 1 : blocks);
}

}  // namespace snc
