// Host launcher of the input-pipeline kernel (augment.cu): crop, flip, normalise and Cutout of a
// raw batch on the device. Returns the launch status (cudaGetLastError); execution errors
// surface at the next synchronisation.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

namespace snc {

// Most channels one launch normalises: the per-channel mean and scale travel in the launch.
constexpr int kMaxAugmentChannels = 16;

// Ints per sample in the device parameter array: crop_y, crop_x, flip (0/1), cutout_y, cutout_x
// (cutout_y == -1: no Cutout on that sample).
constexpr int kAugmentSampleInts = 5;

// out [batch, channels, height, width] float32 from raw [samples, channels, height, width] uint8, as
// Backend.augment defines: samples < `samples` are cropped from raw zero-padded by `padding`,
// mirrored, normalised as float32((v / 255 - mean[c]) * scale[c]) evaluated in float64, and
// Cutout (side `cutout`) zeroes a square after normalising; samples >= `samples` are zeros.
// params: device int32 [samples, kAugmentSampleInts]; host_mean, host_scale: HOST arrays of
// `channels` <= kMaxAugmentChannels doubles, copied into the launch. raw and out must not overlap.
cudaError_t launch_augment(cudaStream_t stream, const uint8_t* raw, float* out, int batch, int channels, int height,
                           int width, int samples, const int32_t* params, const double* host_mean,
                           const double* host_scale, int padding, int cutout);

}  // namespace snc
