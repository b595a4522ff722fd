// Checks the kernels through the C API against float64 CPU loops, without Java: the check to run
// on a GPU host that has only the driver. Exit status 0: all match; 1: a mismatch or CUDA error;
// 77: nothing to check on (no driver or no device; the reason is printed).
//
//   target/native/linux-x86_64/check-kernels [seed]
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <vector>

#include "spidernet_cuda.h"

namespace {

constexpr int kSamples = 3;
constexpr double kRelativeTolerance = 1e-5;
constexpr int kMaxReportedMismatches = 5;

std::mt19937_64 rng;
snc_context* context = nullptr;
int failures = 0;

// Aborts the whole check on a CUDA or API error: later results would be meaningless.
void require(int status, const char* call) {
    if (status != SNC_OK) {
        std::printf("FAIL %s: %s\n", call, snc_status_string(status));
        std::exit(1);
    }
}

// Uniform in [-1, 1) without exact zeros, so that an unwritten output cannot pass.
std::vector<float> random_non_zero(size_t n) {
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> values(n);
    for (float& v : values) {
        do v = uniform(rng); while (v == 0.0f);
    }
    return values;
}

template <typename T>
void* upload(const std::vector<T>& host) {
    void* device = nullptr;
    require(snc_alloc(context, static_cast<int64_t>(host.size() * sizeof(T)), &device), "snc_alloc");
    if (!host.empty()) {
        require(snc_copy_to_device(context, device, host.data(), static_cast<int64_t>(host.size() * sizeof(T))),
                "snc_copy_to_device");
    }
    return device;
}

template <typename T>
std::vector<T> download(const void* device, size_t n) {
    std::vector<T> host(n);
    if (n > 0) require(snc_copy_to_host(context, host.data(), device, static_cast<int64_t>(n * sizeof(T))), "snc_copy_to_host");
    return host;
}

// Compares with tolerance kRelativeTolerance * scale (+ the smallest normal float for exact zeros).
bool close(const char* what, size_t index, double expected, double actual, double scale, int& mismatches) {
    const double tolerance = kRelativeTolerance * scale + 1.17549435e-38;
    if (std::fabs(expected - actual) <= tolerance) return true;
    if (++mismatches <= kMaxReportedMismatches) {
        std::printf("  %s[%zu]: expected %.9g, got %.9g\n", what, index, expected, actual);
    }
    return false;
}

void report(const char* name, int64_t per_sample, int mismatches) {
    std::printf("%s %s per_sample=%lld\n", mismatches == 0 ? "ok  " : "FAIL", name, static_cast<long long>(per_sample));
    if (mismatches > 0) ++failures;
}

void check_scale_add(int64_t per_sample) {
    const size_t n = kSamples * static_cast<size_t>(per_sample);
    const std::vector<float> x = random_non_zero(n);
    const std::vector<float> y0 = random_non_zero(n);
    const std::vector<float> scale = random_non_zero(kSamples);
    void* dx = upload(x);
    void* dy = upload(y0);
    void* ds = upload(scale);
    const float multiplier = 1.25f;  // 1 / keep for drop-path 0.2
    require(snc_scale_add_per_sample(context, static_cast<const float*>(dx), static_cast<const float*>(ds), multiplier,
                                     static_cast<float*>(dy), kSamples, per_sample), "snc_scale_add_per_sample");
    const std::vector<float> y = download<float>(dy, n);
    int mismatches = 0;
    for (size_t i = 0; i < n; ++i) {
        const double expected =
            static_cast<double>(y0[i]) + static_cast<double>(multiplier) * scale[i / per_sample] * x[i];
        close("y", i, expected, y[i], std::fabs(expected), mismatches);
    }
    for (void* p : {dx, dy, ds}) require(snc_free(context, p), "snc_free");
    report("scale_add_per_sample", per_sample, mismatches);
}

void check_dot(int64_t per_sample) {
    const size_t n = kSamples * static_cast<size_t>(per_sample);
    const std::vector<float> a = random_non_zero(n);
    const std::vector<float> b = random_non_zero(n);
    void* da = upload(a);
    void* db = upload(b);
    const int64_t workspace_bytes = snc_dot_per_sample_workspace_bytes(kSamples, per_sample);
    void* workspace = nullptr;
    void* out = nullptr;
    require(snc_alloc(context, workspace_bytes, &workspace), "snc_alloc");
    require(snc_alloc(context, kSamples * sizeof(double), &out), "snc_alloc");
    require(snc_dot_per_sample(context, static_cast<const float*>(da), static_cast<const float*>(db), kSamples,
                               per_sample, static_cast<double*>(workspace), workspace_bytes, static_cast<double*>(out)),
            "snc_dot_per_sample");
    const std::vector<double> dot = download<double>(out, kSamples);
    int mismatches = 0;
    for (int s = 0; s < kSamples; ++s) {
        double expected = 0.0;
        double magnitude = 0.0;
        for (int64_t i = 0; i < per_sample; ++i) {
            const double product = static_cast<double>(a[s * per_sample + i]) * b[s * per_sample + i];
            expected += product;
            magnitude += std::fabs(product);
        }
        close("dot", s, expected, dot[s], std::fabs(expected) + 1e-7 * magnitude, mismatches);
    }
    for (void* p : {da, db, workspace, out}) require(snc_free(context, p), "snc_free");
    report("dot_per_sample", per_sample, mismatches);
}

// gate_grads[index] += sum_n multiplier * factor[n] * <dy[n], x[n]>, factors read from device
// memory; more than 32 samples exercises every lane's slice, and the untouched entries must stay
// as they were.
void check_gate_gradient(int samples, int64_t per_sample) {
    const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
    const std::vector<float> dy = random_non_zero(n);
    const std::vector<float> x = random_non_zero(n);
    const std::vector<float> factor = random_non_zero(static_cast<size_t>(samples));
    const std::vector<float> grads0 = random_non_zero(4);
    const int index = 2;
    void* ddy = upload(dy);
    void* dx = upload(x);
    void* dgrads = upload(grads0);
    void* dfactor = upload(factor);
    const float multiplier = 1.25f;
    const int64_t workspace_bytes = snc_dot_per_sample_workspace_bytes(samples, per_sample);
    void* workspace = nullptr;
    void* dots = nullptr;
    require(snc_alloc(context, workspace_bytes, &workspace), "snc_alloc");
    require(snc_alloc(context, static_cast<int64_t>(samples) * static_cast<int64_t>(sizeof(double)), &dots), "snc_alloc");
    require(snc_gate_gradient(context, static_cast<const float*>(ddy), static_cast<const float*>(dx), samples, per_sample,
                              static_cast<double*>(workspace), workspace_bytes, static_cast<double*>(dots),
                              static_cast<const float*>(dfactor), multiplier, static_cast<float*>(dgrads), index),
            "snc_gate_gradient");
    const std::vector<float> grads = download<float>(dgrads, 4);
    double expected = grads0[index];
    double magnitude = std::fabs(expected);
    for (size_t i = 0; i < n; ++i) {
        const double term = static_cast<double>(multiplier) * factor[i / per_sample] * dy[i] * x[i];
        expected += term;
        magnitude += std::fabs(term);
    }
    int mismatches = 0;
    close("gate_grads", index, expected, grads[index], std::fabs(expected) + 1e-7 * magnitude, mismatches);
    for (int i = 0; i < 4; ++i) {
        if (i != index) close("gate_grads (untouched)", i, grads0[i], grads[i], 0.0, mismatches);
    }
    for (void* p : {ddy, dx, dgrads, dfactor, workspace, dots}) require(snc_free(context, p), "snc_free");
    std::printf("%s gate_gradient samples=%d per_sample=%lld\n", mismatches == 0 ? "ok  " : "FAIL", samples,
                static_cast<long long>(per_sample));
    if (mismatches > 0) ++failures;
}

void check_relu(int64_t count) {
    std::vector<float> x = random_non_zero(static_cast<size_t>(count));
    x[0] = 0.0f;
    const std::vector<float> dy = random_non_zero(static_cast<size_t>(count));
    const std::vector<float> dx0 = random_non_zero(static_cast<size_t>(count));
    void* dX = upload(x);
    void* dY = upload(std::vector<float>(static_cast<size_t>(count), 7.0f));
    void* dDy = upload(dy);
    void* dDx = upload(dx0);
    require(snc_relu_forward(context, static_cast<const float*>(dX), static_cast<float*>(dY), count), "snc_relu_forward");
    require(snc_relu_backward(context, static_cast<const float*>(dX), static_cast<const float*>(dDy),
                              static_cast<float*>(dDx), count), "snc_relu_backward");
    const std::vector<float> y = download<float>(dY, static_cast<size_t>(count));
    const std::vector<float> dx = download<float>(dDx, static_cast<size_t>(count));
    int mismatches = 0;
    for (int64_t i = 0; i < count; ++i) {
        const double forward = x[i] > 0.0f ? x[i] : 0.0;
        close("y", i, forward, y[i], std::fabs(forward), mismatches);
        const double backward = static_cast<double>(dx0[i]) + (x[i] > 0.0f ? dy[i] : 0.0);
        close("dx", i, backward, dx[i], std::fabs(backward), mismatches);
    }
    for (void* p : {dX, dY, dDy, dDx}) require(snc_free(context, p), "snc_free");
    report("relu forward+backward", count, mismatches);
}

// Grouped convolution (depthwise when groups == in_c == out_c) against float64 loops: forward,
// backward-data and backward-filter, the last two accumulating into random initial gradients.
// dims: batch, in_c, in_h, in_w, out_c, out_h, out_w, kernel, stride, padding, dilation, groups.
void check_conv(const char* name, int batch, int in_c, int hw, int out_c, int k, int stride, int pad, int dil,
                int groups) {
    const int out = (hw + 2 * pad - dil * (k - 1) - 1) / stride + 1;
    const int32_t dims[SNC_CONV_DIMS] = {batch, in_c, hw, hw, out_c, out, out, k, stride, pad, dil, groups};
    const int cg = in_c / groups;
    const int og = out_c / groups;
    const size_t nx = static_cast<size_t>(batch) * in_c * hw * hw;
    const size_t nw = static_cast<size_t>(out_c) * cg * k * k;
    const size_t ny = static_cast<size_t>(batch) * out_c * out * out;
    const std::vector<float> x = random_non_zero(nx), w = random_non_zero(nw), dy = random_non_zero(ny);
    const std::vector<float> dx0 = random_non_zero(nx), dw0 = random_non_zero(nw);
    std::vector<double> y(ny, 0.0), dx(dx0.begin(), dx0.end()), dw(dw0.begin(), dw0.end());
    std::vector<double> y_mag(ny, 0.0), dx_mag(nx, 0.0), dw_mag(nw, 0.0);
    for (int n = 0; n < batch; ++n)
        for (int co = 0; co < out_c; ++co)
            for (int cl = 0; cl < cg; ++cl)
                for (int oh = 0; oh < out; ++oh)
                    for (int ow = 0; ow < out; ++ow)
                        for (int kh = 0; kh < k; ++kh)
                            for (int kw = 0; kw < k; ++kw) {
                                const int ih = oh * stride - pad + kh * dil, iw = ow * stride - pad + kw * dil;
                                if (ih < 0 || ih >= hw || iw < 0 || iw >= hw) continue;
                                const size_t xi = ((static_cast<size_t>(n) * in_c + (co / og) * cg + cl) * hw + ih) * hw + iw;
                                const size_t wi = ((static_cast<size_t>(co) * cg + cl) * k + kh) * k + kw;
                                const size_t yi = ((static_cast<size_t>(n) * out_c + co) * out + oh) * out + ow;
                                y[yi] += static_cast<double>(x[xi]) * w[wi];
                                y_mag[yi] += std::fabs(static_cast<double>(x[xi]) * w[wi]);
                                dx[xi] += static_cast<double>(dy[yi]) * w[wi];
                                dx_mag[xi] += std::fabs(static_cast<double>(dy[yi]) * w[wi]);
                                dw[wi] += static_cast<double>(dy[yi]) * x[xi];
                                dw_mag[wi] += std::fabs(static_cast<double>(dy[yi]) * x[xi]);
                            }
    void* dX = upload(x);
    void* dW = upload(w);
    void* dY = upload(random_non_zero(ny));
    void* dDy = upload(dy);
    void* dDx = upload(dx0);
    void* dDw = upload(dw0);
    require(snc_conv2d_forward(context, dims, static_cast<const float*>(dX), static_cast<const float*>(dW),
                               static_cast<float*>(dY)), "snc_conv2d_forward");
    require(snc_conv2d_backward_data(context, dims, static_cast<const float*>(dDy), static_cast<const float*>(dW),
                                     static_cast<float*>(dDx)), "snc_conv2d_backward_data");
    require(snc_conv2d_backward_filter(context, dims, static_cast<const float*>(dX), static_cast<const float*>(dDy),
                                       static_cast<float*>(dDw)), "snc_conv2d_backward_filter");
    const std::vector<float> got_y = download<float>(dY, ny), got_dx = download<float>(dDx, nx),
                             got_dw = download<float>(dDw, nw);
    int mismatches = 0;
    // float32 sums: relative to the sum of the terms' magnitudes (plus the initial gradient)
    for (size_t i = 0; i < ny; ++i) close("y", i, y[i], got_y[i], 10 * y_mag[i], mismatches);
    for (size_t i = 0; i < nx; ++i) close("dx", i, dx[i], got_dx[i], 10 * (dx_mag[i] + std::fabs(dx0[i])), mismatches);
    for (size_t i = 0; i < nw; ++i) close("dw", i, dw[i], got_dw[i], 10 * (dw_mag[i] + std::fabs(dw0[i])), mismatches);
    for (void* p : {dX, dW, dY, dDy, dDx, dDw}) require(snc_free(context, p), "snc_free");
    std::printf("%s %s\n", mismatches == 0 ? "ok  " : "FAIL", name);
    if (mismatches > 0) ++failures;
}

// The sign-agreement kernel against explicit counts: k starts at random integers and must gain
// exactly the count of equal sign bits per pair (integers: no tolerance). Inputs include exact
// zeros and negatives; D is not a multiple of 32.
void check_sign_agreement(int samples, int64_t per_sample) {
    const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
    std::vector<float> x = random_non_zero(n);
    for (size_t i = 0; i < n; i += 5) x[i] = 0.0f;
    std::vector<float> k0(static_cast<size_t>(samples) * samples);
    std::uniform_int_distribution<int> counts(0, 999);
    for (float& v : k0) v = static_cast<float>(counts(rng));
    void* dX = upload(x);
    void* dK = upload(k0);
    const int64_t workspace_bytes = snc_sign_agreement_workspace_bytes(samples, per_sample);
    void* workspace = nullptr;
    require(snc_alloc(context, workspace_bytes, &workspace), "snc_alloc");
    require(snc_sign_agreement(context, static_cast<const float*>(dX), samples, per_sample, static_cast<float*>(dK),
                               workspace, workspace_bytes), "snc_sign_agreement");
    const std::vector<float> k = download<float>(dK, k0.size());
    int mismatches = 0;
    for (int i = 0; i < samples; ++i) {
        for (int j = 0; j < samples; ++j) {
            int64_t agree = 0;
            for (int64_t d = 0; d < per_sample; ++d) {
                agree += (x[i * per_sample + d] > 0.0f) == (x[j * per_sample + d] > 0.0f) ? 1 : 0;
            }
            const size_t e = static_cast<size_t>(i) * samples + j;
            close("k", e, static_cast<double>(k0[e]) + agree, k[e], 0.0, mismatches);
        }
    }
    for (void* p : {dX, dK, workspace}) require(snc_free(context, p), "snc_free");
    report("sign_agreement", per_sample, mismatches);
}

// The Gram kernel against float64 loops; both sum float64 products, so the tolerance is 1e-12 times
// the sum of the terms' magnitudes (1e-5 * 1e-7, see close()).
void check_gram(int samples, int64_t per_sample) {
    const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
    const std::vector<float> a = random_non_zero(n);
    void* dA = upload(a);
    const int64_t workspace_bytes = snc_gram_workspace_bytes(samples, per_sample);
    void* workspace = nullptr;
    void* out = nullptr;
    if (workspace_bytes > 0) require(snc_alloc(context, workspace_bytes, &workspace), "snc_alloc");
    const size_t elements = static_cast<size_t>(samples) * samples;
    require(snc_alloc(context, static_cast<int64_t>(elements * sizeof(double)), &out), "snc_alloc");
    require(snc_gram(context, static_cast<const float*>(dA), samples, per_sample, static_cast<double*>(workspace),
                     workspace_bytes, static_cast<double*>(out)), "snc_gram");
    const std::vector<double> g = download<double>(out, elements);
    int mismatches = 0;
    for (int i = 0; i < samples; ++i) {
        for (int j = 0; j < samples; ++j) {
            double expected = 0.0;
            double magnitude = 0.0;
            for (int64_t d = 0; d < per_sample; ++d) {
                const double product = static_cast<double>(a[i * per_sample + d]) * a[j * per_sample + d];
                expected += product;
                magnitude += std::fabs(product);
            }
            close("G", static_cast<size_t>(i) * samples + j, expected, g[static_cast<size_t>(i) * samples + j],
                  1e-7 * magnitude, mismatches);
        }
    }
    for (void* p : {dA, workspace, out}) {
        if (p != nullptr) require(snc_free(context, p), "snc_free");
    }
    report("gram", per_sample, mismatches);
}

// The fused SGD update over `sizes.size()` tensors against float64 loops (tolerance 1e-5 of the
// terms' magnitudes: three float32 FMAs), and bit for bit against one snc_sgd_momentum per tensor.
// The fused form reads its rate from device memory: each step's rate lies at its own address.
void check_sgd_momentum_all(const std::vector<int64_t>& sizes) {
    const std::vector<float> rates = {0.05f, 0.0371f};
    const float momentum = 0.9f, weight_decay = 3e-4f;
    const int64_t tensors = static_cast<int64_t>(sizes.size());
    std::vector<std::vector<float>> p0, g0, v0;
    std::vector<void*> fused, single;  // param, grad, velocity per tensor, for each path
    std::vector<int64_t> addresses(4 * sizes.size());
    for (int64_t t = 0; t < tensors; ++t) {
        const size_t n = static_cast<size_t>(sizes[t]);
        p0.push_back(random_non_zero(n));
        g0.push_back(random_non_zero(n));
        v0.push_back(random_non_zero(n));
        for (const auto* host : {&p0.back(), &g0.back(), &v0.back()}) {
            fused.push_back(upload(*host));
            single.push_back(upload(*host));
        }
        for (int k = 0; k < 3; ++k) addresses[k * tensors + t] = reinterpret_cast<int64_t>(fused[3 * t + k]);
        addresses[3 * tensors + t] = sizes[t];
    }
    const int64_t entries = snc_sgd_momentum_table_entries(tensors);
    std::vector<int64_t> table(static_cast<size_t>(entries));
    require(snc_sgd_momentum_table(addresses.data(), tensors, table.data(), entries), "snc_sgd_momentum_table");
    void* device_table = upload(table);
    void* device_rates = upload(rates);
    for (int step = 0; step < 2; ++step) {
        require(snc_sgd_momentum_all(context, device_table, tensors, table.back(),
                                     static_cast<const float*>(device_rates) + step, momentum, weight_decay),
                "snc_sgd_momentum_all");
        for (int64_t t = 0; t < tensors; ++t) {
            require(snc_sgd_momentum(context, static_cast<float*>(single[3 * t]),
                                     static_cast<const float*>(single[3 * t + 1]), static_cast<float*>(single[3 * t + 2]),
                                     sizes[t], rates[step], momentum, weight_decay), "snc_sgd_momentum");
        }
    }
    int mismatches = 0;
    int64_t largest = 0;
    for (int64_t t = 0; t < tensors; ++t) {
        const size_t n = static_cast<size_t>(sizes[t]);
        largest = std::max(largest, sizes[t]);
        const std::vector<float> p = download<float>(fused[3 * t], n);
        const std::vector<float> v = download<float>(fused[3 * t + 2], n);
        const std::vector<float> ps = download<float>(single[3 * t], n);
        const std::vector<float> vs = download<float>(single[3 * t + 2], n);
        for (size_t i = 0; i < n; ++i) {
            double pe = p0[t][i], ve = v0[t][i], magnitude = 0.0;
            for (int step = 0; step < 2; ++step) {
                const double g = g0[t][i] + static_cast<double>(weight_decay) * pe;
                ve = static_cast<double>(momentum) * ve + g;
                pe -= static_cast<double>(rates[step]) * ve;
                magnitude += std::fabs(g0[t][i]) + std::fabs(ve) + std::fabs(pe);
            }
            close("param", i, pe, p[i], magnitude, mismatches);
            close("velocity", i, ve, v[i], magnitude, mismatches);
            if (p[i] != ps[i] || v[i] != vs[i]) {
                if (++mismatches <= kMaxReportedMismatches) {
                    std::printf("  tensor %lld [%zu]: fused %.9g / %.9g, per tensor %.9g / %.9g\n",
                                static_cast<long long>(t), i, p[i], v[i], ps[i], vs[i]);
                }
            }
        }
    }
    for (void* q : fused) require(snc_free(context, q), "snc_free");
    for (void* q : single) require(snc_free(context, q), "snc_free");
    require(snc_free(context, device_table), "snc_free");
    require(snc_free(context, device_rates), "snc_free");
    std::printf("%s sgd_momentum_all tensors=%lld largest=%lld\n", mismatches == 0 ? "ok  " : "FAIL",
                static_cast<long long>(tensors), static_cast<long long>(largest));
    if (mismatches > 0) ++failures;
}

// Raw pixels 1..255 (no zeros, so padding and Cutout are visible), random crops, flips and
// Cutout centres (a quarter of the samples without), and a tail of unplanned samples.
void check_augment(int batch, int samples, int channels, int height, int width, int padding, int cutout) {
    const size_t plane = static_cast<size_t>(height) * width;
    const size_t n = static_cast<size_t>(batch) * channels * plane;
    std::uniform_int_distribution<int> pixel(1, 255);
    std::vector<uint8_t> raw(static_cast<size_t>(samples) * channels * plane);
    for (uint8_t& v : raw) v = static_cast<uint8_t>(pixel(rng));
    std::vector<int32_t> params(static_cast<size_t>(samples) * 5);
    for (int s = 0; s < samples; ++s) {
        int32_t* p = &params[static_cast<size_t>(s) * 5];
        p[0] = std::uniform_int_distribution<int>(0, 2 * padding)(rng);
        p[1] = std::uniform_int_distribution<int>(0, 2 * padding)(rng);
        p[2] = std::uniform_int_distribution<int>(0, 1)(rng);
        const bool cut = std::uniform_int_distribution<int>(0, 3)(rng) != 0;
        p[3] = cut ? std::uniform_int_distribution<int>(0, height - 1)(rng) : -1;
        p[4] = cut ? std::uniform_int_distribution<int>(0, width - 1)(rng) : -1;
    }
    std::vector<double> mean(channels);
    std::vector<double> scale(channels);
    for (int c = 0; c < channels; ++c) {
        mean[c] = std::uniform_real_distribution<double>(0.2, 0.6)(rng);
        scale[c] = 1.0 / std::uniform_real_distribution<double>(0.1, 0.4)(rng);
    }
    void* draw = upload(raw);
    void* dout = upload(random_non_zero(n));
    void* dparams = upload(params);
    require(snc_augment(context, static_cast<const uint8_t*>(draw), static_cast<float*>(dout), batch, channels, height,
                        width, samples, static_cast<const int32_t*>(dparams), mean.data(), scale.data(), padding,
                        cutout),
            "snc_augment");
    const std::vector<float> out = download<float>(dout, n);
    int mismatches = 0;
    const int half = cutout / 2;
    for (size_t i = 0; i < n; ++i) {
        const int x = static_cast<int>(i % width);
        const int y = static_cast<int>((i / width) % height);
        const int c = static_cast<int>((i / plane) % channels);
        const int s = static_cast<int>(i / (plane * channels));
        double expected = 0.0;
        if (s < samples) {
            const int32_t* p = &params[static_cast<size_t>(s) * 5];
            const int sy = y + p[0] - padding;
            const int sx = (p[2] != 0 ? width - 1 - x : x) + p[1] - padding;
            const double v = sy >= 0 && sy < height && sx >= 0 && sx < width
                                 ? raw[(static_cast<size_t>(s) * channels + c) * plane + static_cast<size_t>(sy) * width + sx]
                                 : 0.0;
            expected = static_cast<float>((v / 255.0 - mean[c]) * scale[c]);
            if (p[3] >= 0 && y >= p[3] - half && y < p[3] + half && x >= p[4] - half && x < p[4] + half) expected = 0.0;
        }
        close("out", i, expected, out[i], std::fabs(expected), mismatches);
    }
    for (void* p : {draw, dout, dparams}) require(snc_free(context, p), "snc_free");
    report("augment", static_cast<int64_t>(channels * plane), mismatches);
}

}  // namespace

int main(int argc, char** argv) {
    const unsigned long long seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : static_cast<unsigned long long>(std::time(nullptr));
    rng.seed(seed);
    char reason[512];
    if (snc_driver_probe(reason, sizeof reason) != SNC_OK) {
        std::printf("skip: NVIDIA driver not found (%s)\n", reason);
        return 77;
    }
    int devices = 0;
    const int status = snc_device_count(&devices);
    if (status != SNC_OK || devices == 0) {
        std::printf("skip: no CUDA device (%s)\n", snc_status_string(status));
        return 77;
    }
    char name[256];
    int major = 0, minor = 0, multiprocessors = 0;
    require(snc_device_properties(0, name, sizeof name, &major, &minor, &multiprocessors), "snc_device_properties");
    std::printf("device 0: %s, compute capability %d.%d, %d SMs; seed %llu\n", name, major, minor, multiprocessors, seed);
    require(snc_context_create(0, &context), "snc_context_create");

    for (int64_t per_sample : {0, 1, 385, 969, 100003}) {
        check_scale_add(per_sample);
        check_dot(per_sample);
    }
    check_gate_gradient(3, 969);
    check_gate_gradient(700, 33);
    check_relu(1001);
    check_relu(3000017);
    check_conv("conv depthwise 3x3 d1 s1", 4, 8, 17, 8, 3, 1, 1, 1, 8);
    check_conv("conv depthwise 5x5 d2 s2", 4, 8, 17, 8, 5, 2, 4, 2, 8);
    check_conv("conv depthwise 3x3 d2 s2", 4, 8, 16, 8, 3, 2, 2, 2, 8);
    check_conv("conv dense 3x3 (stem)", 2, 3, 16, 16, 3, 1, 1, 1, 1);
    check_conv("conv pointwise 1x1 stride 2", 2, 16, 9, 24, 1, 2, 0, 1, 1);
    check_conv("conv grouped 3x3", 2, 8, 9, 12, 3, 1, 1, 1, 4);
    check_sign_agreement(37, 1001);
    check_sign_agreement(128, 20011);
    check_gram(33, 4095);
    check_gram(16, 100003);
    check_gram(192, 9001);
    // sizes around the 2048-element chunk and the 256-thread block, an empty tensor, and a
    // grown net's count of mostly small tensors
    check_sgd_momentum_all({1, 0, 255, 257, 2047, 2048, 2049, 100003, 16, 4097});
    std::vector<int64_t> many;
    for (int t = 0; t < 1500; ++t) many.push_back(1 + static_cast<int64_t>(rng() % 5000));
    check_sgd_momentum_all(many);
    check_augment(5, 4, 3, 32, 32, 4, 16);
    check_augment(7, 7, 1, 28, 28, 0, 0);
    check_augment(64, 64, 3, 32, 32, 4, 16);

    require(snc_context_destroy(context), "snc_context_destroy");
    std::printf("%s\n", failures == 0 ? "all kernels match the float64 reference" : "MISMATCHES");
    return failures == 0 ? 0 : 1;
}
