// The training input pipeline's per-pixel work: random crop from the zero-padded raw image,
// horizontal flip, per-channel normalisation and Cutout, for a whole batch in one launch (the
// random draws are made on the host and arrive as five ints per sample).
//
// Layout: out is NCHW float32 [batch, C, H, W]; raw is NCHW uint8 [samples, C, H, W] (the pixels
// as stored, a quarter of the bytes of the float batch to upload). params is int32 [samples, 5]
// on the device: crop_y, crop_x in [0, 2 * padding], flip, cutout_y, cutout_x (-1 for none).
// The per-channel mean and scale (1 / std) ride in the launch.
//
// Launch shape: one thread per output element, grid (min(ceil(N*C*H*W / 256), 8192)), block 256,
// grid-stride loop. Consecutive threads write consecutive x of one row, so the stores coalesce;
// the loads of a row are consecutive too (mirrored rows read the same span backwards).
//
// Bytes moved: 5 per output element (read 1 uint8 of raw, write 4 of out; the 20-byte per-sample
// parameters stay in L1/L2). FLOPs: 3 per element (divide by 255, subtract the mean, multiply by
// the scale), in float64 with explicit round-to-nearest intrinsics, so the result is the float64
// formula of Backend.augment rounded once to float32: bit for bit what the cpu backend computes.

#include "augment.cuh"

#include "launch_shape.cuh"

namespace snc {
namespace {

struct ChannelNormalisation {
    double mean[kMaxAugmentChannels];
    double scale[kMaxAugmentChannels];
};

__global__ void __launch_bounds__(kStreamThreads)
augment_kernel(const uint8_t* __restrict__ raw, float* __restrict__ out, int64_t count, int channels, int height,
               int width, int samples, const int32_t* __restrict__ params, ChannelNormalisation norm, int padding,
               int half_cutout) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kStreamThreads;
    const int64_t plane = static_cast<int64_t>(height) * width;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * kStreamThreads + threadIdx.x; i < count; i += stride) {
        const int x = static_cast<int>(i % width);
        const int y = static_cast<int>((i / width) % height);
        const int64_t sample_channel = i / plane;
        const int n = static_cast<int>(sample_channel / channels);
        const int c = static_cast<int>(sample_channel % channels);
        if (n >= samples) {
            out[i] = 0.0f;
            continue;
        }
        const int32_t* p = params + static_cast<int64_t>(n) * kAugmentSampleInts;
        const int sy = y + p[0] - padding;
        const int sx = (p[2] != 0 ? width - 1 - x : x) + p[1] - padding;
        const double v = sy >= 0 && sy < height && sx >= 0 && sx < width
                             ? static_cast<double>(raw[sample_channel * plane + static_cast<int64_t>(sy) * width + sx])
                             : 0.0;
        // the intrinsics keep the compiler from contracting or reassociating: the exact formula
        const double normalised = __dmul_rn(__dsub_rn(__ddiv_rn(v, 255.0), norm.mean[c]), norm.scale[c]);
        const int ky = p[3];
        const int kx = p[4];
        const bool cut = ky >= 0 && y >= ky - half_cutout && y < ky + half_cutout && x >= kx - half_cutout
                         && x < kx + half_cutout;
        out[i] = cut ? 0.0f : __double2float_rn(normalised);
    }
}

}  // namespace

cudaError_t launch_augment(cudaStream_t stream, const uint8_t* raw, float* out, int batch, int channels, int height,
                           int width, int samples, const int32_t* params, const double* host_mean,
                           const double* host_scale, int padding, int cutout) {
    if (batch < 0 || channels < 1 || channels > kMaxAugmentChannels || height < 0 || width < 0 || samples < 0
        || samples > batch || padding < 0 || cutout < 0 || (samples > 0 && (params == nullptr || raw == nullptr))) {
        return cudaErrorInvalidValue;
    }
    const int64_t count = static_cast<int64_t>(batch) * channels * height * width;
    if (count == 0) return cudaSuccess;
    ChannelNormalisation norm{};
    for (int c = 0; c < channels; c++) {
        norm.mean[c] = host_mean[c];
        norm.scale[c] = host_scale[c];
    }
    augment_kernel<<<stream_blocks(count, kStreamThreads), kStreamThreads, 0, stream>>>(
        raw, out, count, channels, height, width, samples, params, norm, padding, cutout / 2);
    return cudaGetLastError();
}

}  // namespace snc
