// The train-free metrics' sample-pair kernels (sign agreement: pack + agreement; Gram: partial +
// finish) and the input pipeline's augment kernel.
#include <limits>

#include "check.hpp"

namespace check {
namespace {

// k[i, j] += #{d : (x[i, d] > 0) == (x[j, d] > 0)}: integer counts, exact in float32 below 2^24,
// so no tolerance. Zeros, negative zeros and NaNs all count as "not positive".
void check_sign_agreement(int samples, int64_t per_sample) {
    run_check("sign_agreement", sizes({{"samples", samples}, {"per_sample", per_sample}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        std::vector<float> x0 = random_floats(n);
        for (size_t i = 0; i < n; i += 5) x0[i] = i % 3 == 0 ? 0.0f : i % 3 == 1 ? -0.0f : std::nanf("");
        std::vector<float> k0(static_cast<size_t>(samples) * samples);
        for (float& v : k0) v = static_cast<float>(random_int(0, 999));
        Buffer x(x0), k(k0);
        const int64_t workspace_bytes = snc_sign_agreement_workspace_bytes(samples, per_sample);
        Buffer workspace(workspace_bytes);
        call(snc_sign_agreement(context, x.f(), samples, per_sample, k.f(), workspace.get(), workspace_bytes),
             "snc_sign_agreement");
        const std::vector<float> got = k.read<float>(k0.size());
        for (int i = 0; i < samples; ++i)
            for (int j = 0; j < samples; ++j) {
                int64_t agree = 0;
                for (int64_t d = 0; d < per_sample; ++d) {
                    agree += (x0[i * per_sample + d] > 0.0f) == (x0[j * per_sample + d] > 0.0f) ? 1 : 0;
                }
                const size_t e = static_cast<size_t>(i) * samples + j;
                c.exact("k", e, static_cast<float>(k0[e] + agree), got[e]);
            }
    });
}

// G = a a^T in float64 (overwritten). Products of floats are exact in float64, so against a long
// double reference the bound is (per_sample + slices + 8) 2^-53 sum_d |a_i a_j|.
void check_gram(int samples, int64_t per_sample) {
    run_check("gram", sizes({{"samples", samples}, {"per_sample", per_sample}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        const std::vector<float> a0 = random_floats(n);
        const size_t elements = static_cast<size_t>(samples) * samples;
        Buffer a(a0), out(nan_doubles(elements));
        const int64_t workspace_bytes = snc_gram_workspace_bytes(samples, per_sample);
        Buffer workspace(workspace_bytes);
        call(snc_gram(context, a.f(), samples, per_sample, workspace.d(), workspace_bytes, out.d()), "snc_gram");
        const std::vector<double> got = out.read<double>(elements);
        const int64_t slices = workspace_bytes / static_cast<int64_t>(8 * std::max<size_t>(elements, 1));
        for (int i = 0; i < samples; ++i)
            for (int j = 0; j < samples; ++j) {
                long double expected = 0.0L;
                double magnitude = 0.0;
                for (int64_t d = 0; d < per_sample; ++d) {
                    const double product = static_cast<double>(a0[i * per_sample + d]) * a0[j * per_sample + d];
                    expected += product;
                    magnitude += std::fabs(product);
                }
                const size_t e = static_cast<size_t>(i) * samples + j;
                c.near("G", e, static_cast<double>(expected), got[e],
                       kSlack * sum64_error(per_sample + slices + 8, magnitude));
            }
    });
}

// Random crops from the zero-padded image, flips, normalisation in float64 with one rounding to
// float32 (the host does the same three float64 operations: bit for bit), Cutout squares (a
// quarter of the samples without), and zeros for the batch's unplanned tail. Pixels are 1..255 so
// that padding and Cutout are visible.
void check_augment(int batch, int samples, int channels, int height, int width, int padding, int cutout) {
    run_check("augment",
              sizes({{"batch", batch}, {"samples", samples}, {"channels", channels}, {"h", height}, {"w", width},
                     {"padding", padding}, {"cutout", cutout}}),
              [&](Comparison& c) {
        const size_t plane = static_cast<size_t>(height) * width;
        const size_t n = static_cast<size_t>(batch) * channels * plane;
        std::vector<uint8_t> raw(static_cast<size_t>(samples) * channels * plane);
        for (uint8_t& v : raw) v = static_cast<uint8_t>(random_int(1, 255));
        std::vector<int32_t> params(static_cast<size_t>(samples) * 5);
        for (int s = 0; s < samples; ++s) {
            int32_t* p = &params[static_cast<size_t>(s) * 5];
            p[0] = random_int(0, 2 * padding);
            p[1] = random_int(0, 2 * padding);
            p[2] = random_int(0, 1);
            const bool cut = cutout > 0 && random_int(0, 3) != 0;
            p[3] = cut ? random_int(0, height - 1) : -1;
            p[4] = cut ? random_int(0, width - 1) : -1;
        }
        std::vector<double> mean(channels), scale(channels);
        for (int ch = 0; ch < channels; ++ch) {
            mean[ch] = std::uniform_real_distribution<double>(0.2, 0.6)(rng);
            scale[ch] = 1.0 / std::uniform_real_distribution<double>(0.1, 0.4)(rng);
        }
        Buffer draw(raw), dout(random_floats(n)), dparams(static_cast<int64_t>(params.size() * sizeof(int32_t)));
        call(snc_copy_ints_to_device(context, dparams.get(), params.data(), static_cast<int64_t>(params.size())),
             "snc_copy_ints_to_device");
        const bool none = samples == 0;  // the API takes null raw and params then
        call(snc_augment(context, none ? nullptr : static_cast<const uint8_t*>(draw.get()), dout.f(), batch, channels,
                         height, width, samples, none ? nullptr : static_cast<const int32_t*>(dparams.get()),
                         mean.data(), scale.data(), padding, cutout),
             "snc_augment");
        const std::vector<float> out = dout.read<float>(n);
        const int half = cutout / 2;
        for (size_t i = 0; i < n; ++i) {
            const int x = static_cast<int>(i % width), y = static_cast<int>((i / width) % height);
            const int ch = static_cast<int>((i / plane) % channels), s = static_cast<int>(i / (plane * channels));
            float expected = 0.0f;
            if (s < samples) {
                const int32_t* p = &params[static_cast<size_t>(s) * 5];
                const int sy = y + p[0] - padding, sx = (p[2] != 0 ? width - 1 - x : x) + p[1] - padding;
                const double v = sy >= 0 && sy < height && sx >= 0 && sx < width
                                     ? raw[(static_cast<size_t>(s) * channels + ch) * plane +
                                           static_cast<size_t>(sy) * width + sx]
                                     : 0.0;
                const double scaled = v / 255.0;
                const double centred = scaled - mean[ch];
                expected = static_cast<float>(centred * scale[ch]);
                if (p[3] >= 0 && y >= p[3] - half && y < p[3] + half && x >= p[4] - half && x < p[4] + half) {
                    expected = 0.0f;
                }
            }
            c.exact("out", i, expected, out[i]);
        }
    });
}

void run() {
    // D not a multiple of 32, more than 32 words (two staging steps), more than 16 samples (tiles
    // off the diagonal); D = 0 adds nothing; no samples at all
    check_sign_agreement(37, 1001);
    check_sign_agreement(5, 31);
    check_sign_agreement(20, 2081);
    check_sign_agreement(1, 1);
    check_sign_agreement(16, 64);
    check_sign_agreement(3, 0);
    check_sign_agreement(0, 10);
    // one slice (no finish kernel), several slices (partial + finish), D = 0 (zero fill), no samples
    check_gram(33, 4095);
    check_gram(20, 9001);
    check_gram(16, 20011);
    check_gram(40, 9001);
    check_gram(1, 1);
    check_gram(17, 33);
    check_gram(5, 0);
    check_gram(0, 7);
    check_augment(5, 4, 3, 32, 32, 4, 16);
    check_augment(7, 7, 1, 28, 28, 0, 0);
    check_augment(3, 3, 2, 9, 7, 3, 5);   // odd Cutout, padding close to the image
    check_augment(4, 0, 3, 8, 8, 4, 16);  // no samples: all zeros, null raw and params
    check_augment(0, 0, 3, 8, 8, 4, 16);  // empty batch
    check_augment(2, 1, 16, 6, 5, 2, 4);  // the most channels the launch carries
    check_augment(16, 16, 3, 32, 32, 4, 16);
}

}  // namespace

const Family& metrics_family() {
    static const Family family{"metrics",
                               {"pack_signs_kernel", "agreement_kernel", "gram_partial_kernel", "gram_finish_kernel",
                                "augment_kernel"},
                               run};
    return family;
}

}  // namespace check
