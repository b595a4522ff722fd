// Host launchers of channel concatenation (concat.cu) over NCHW float32: one input's channel
// block of the concatenated tensor per call, so a concatenation of k inputs is k launches with
// their arguments by value (nothing to stage, nothing a captured graph would have to keep).
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// A block of `channels` channels at `channel_offset` inside `total_channels`, with extents that are not negative.
inline bool valid_concat_block(int64_t batch, int channels, int total_channels, int channel_offset, int64_t plane) {
    return batch >= 0 && channels >= 0 && channel_offset >= 0 && plane >= 0 &&
           static_cast<int64_t>(channel_offset) + channels <= total_channels;
}

// y[n, channel_offset + c, :, :] = x[n, c, :, :] for c < channels; x is [batch, channels, plane],
// y is [batch, total_channels, plane] (plane = H * W).
cudaError_t launch_concat_channels_forward(cudaStream_t stream, const float* x, float* y, int64_t batch, int channels,
                                           int total_channels, int channel_offset, int64_t plane);

// dx[n, c, :, :] += dy[n, channel_offset + c, :, :] for c < channels.
cudaError_t launch_concat_channels_backward(cudaStream_t stream, const float* dy, float* dx, int64_t batch,
                                            int channels, int total_channels, int channel_offset, int64_t plane);

}  // namespace snc
