// Elementwise kernels: fill, copy, axpy, ReLU, scale_add_per_sample and the SGD updates. Each
// output element is one float32 operation (or a fixed chain of fmaf), so every check replays it
// on the host and compares bit for bit. Outputs carry a guard tail that must stay untouched.
#include <cmath>
#include <limits>
#include <memory>

#include "check.hpp"

namespace check {
namespace {

constexpr size_t kGuard = 7;  // elements past the end of every written range
// Streaming kernels use at most 8192 blocks of 256 threads; past 2^21 elements each thread loops.
constexpr int64_t kGridStrideCount = 8192LL * 256 + 513;

const std::vector<int64_t>& stream_counts() {
    static const std::vector<int64_t> counts = {0, 1, 255, 256, 257, 1001, 70001};
    return counts;
}

void check_guard(Comparison& c, const std::vector<float>& before, const std::vector<float>& after, size_t from) {
    for (size_t i = from; i < before.size(); ++i) c.exact("guard", i, before[i], after[i]);
}

void check_fill(int64_t count) {
    run_check("fill", sizes({{"count", count}}), [&](Comparison& c) {
        const std::vector<float> t0 = random_floats(static_cast<size_t>(count) + kGuard);
        const float value = random_floats(1)[0];
        Buffer t(t0);
        call(snc_fill(context, t.f(), value, count), "snc_fill");
        const std::vector<float> got = t.read<float>(t0.size());
        for (int64_t i = 0; i < count; ++i) c.exact("t", i, value, got[i]);
        check_guard(c, t0, got, static_cast<size_t>(count));
    });
}

// snc_copy is a device-to-device memcpy, no kernel; src == dst must be a no-op.
void check_copy(int64_t count) {
    run_check("copy", sizes({{"count", count}}), [&](Comparison& c) {
        const std::vector<float> src0 = random_floats(static_cast<size_t>(count));
        const std::vector<float> dst0 = random_floats(static_cast<size_t>(count) + kGuard);
        Buffer src(src0), dst(dst0);
        call(snc_copy(context, src.f(), dst.f(), count), "snc_copy");
        call(snc_copy(context, src.f(), src.f(), count), "snc_copy (in place)");
        const std::vector<float> got = dst.read<float>(dst0.size());
        const std::vector<float> same = src.read<float>(src0.size());
        for (int64_t i = 0; i < count; ++i) {
            c.exact("dst", i, src0[i], got[i]);
            c.exact("src (in place)", i, src0[i], same[i]);
        }
        check_guard(c, dst0, got, static_cast<size_t>(count));
    });
}

// y = fmaf(alpha, x, y), also in place (x == y).
void check_axpy(int64_t count) {
    run_check("axpy", sizes({{"count", count}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(count);
        const std::vector<float> x0 = random_floats(n), y0 = random_floats(n + kGuard);
        const float alpha = random_floats(1, -2.0f, 2.0f)[0];
        Buffer x(x0), y(y0), z(x0);
        call(snc_axpy(context, alpha, x.f(), y.f(), count), "snc_axpy");
        call(snc_axpy(context, alpha, z.f(), z.f(), count), "snc_axpy (in place)");
        const std::vector<float> got = y.read<float>(y0.size());
        const std::vector<float> in_place = z.read<float>(n);
        for (size_t i = 0; i < n; ++i) {
            c.exact("y", i, std::fmaf(alpha, x0[i], y0[i]), got[i]);
            c.exact("x (in place)", i, std::fmaf(alpha, x0[i], x0[i]), in_place[i]);
        }
        check_guard(c, y0, got, n);
    });
}

// Forward y = x < 0 ? 0 : x (NaN stays NaN, -0 stays -0), also in place; backward dx += x > 0 ? dy : 0.
void check_relu(int64_t count) {
    run_check("relu_forward+backward", sizes({{"count", count}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(count);
        std::vector<float> x0 = random_floats(n);
        const float specials[] = {0.0f, -0.0f, std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
        for (size_t k = 0; k < 5 && k < n; ++k) x0[(k * 977) % n] = specials[k];
        const std::vector<float> dy0 = random_floats(n), dx0 = random_floats(n + kGuard);
        Buffer x(x0), y(nan_floats(n + kGuard)), dy(dy0), dx(dx0), z(x0);
        call(snc_relu_forward(context, x.f(), y.f(), count), "snc_relu_forward");
        call(snc_relu_forward(context, z.f(), z.f(), count), "snc_relu_forward (in place)");
        call(snc_relu_backward(context, x.f(), dy.f(), dx.f(), count), "snc_relu_backward");
        const std::vector<float> got_y = y.read<float>(n + kGuard), got_z = z.read<float>(n),
                                 got_dx = dx.read<float>(n + kGuard);
        for (size_t i = 0; i < n; ++i) {
            const float forward = x0[i] < 0.0f ? 0.0f : x0[i];
            c.exact("y", i, forward, got_y[i]);
            c.exact("y (in place)", i, forward, got_z[i]);
            c.exact("dx", i, dx0[i] + (x0[i] > 0.0f ? dy0[i] : 0.0f), got_dx[i]);
        }
        check_guard(c, nan_floats(n + kGuard), got_y, n);
        check_guard(c, dx0, got_dx, n);
    });
}

// y[n, i] = fmaf((float)(multiplier * scale[n]), x[n, i], y[n, i]): the factor is rounded to
// float32 once per sample, then one fmaf per element, so the host replay is bit-exact. A dropped
// path (scale 0) times an infinite x must still give NaN. Also run in place (x == y).
void check_scale_add(int samples, int64_t per_sample) {
    run_check("scale_add_per_sample", sizes({{"samples", samples}, {"per_sample", per_sample}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        std::vector<float> x0 = random_floats(n);
        const std::vector<float> y0 = random_floats(n + kGuard);
        std::vector<float> scale0 = random_floats(static_cast<size_t>(samples), 0.0f, 2.0f);
        if (samples > 1 && per_sample > 0) {
            scale0[1] = 0.0f;
            x0[static_cast<size_t>(per_sample)] = std::numeric_limits<float>::infinity();
        }
        const float multiplier = 1.25f;  // 1 / keep for drop-path 0.2
        Buffer x(x0), y(y0), scale(scale0), z(x0);
        call(snc_scale_add_per_sample(context, x.f(), scale.f(), multiplier, y.f(), samples, per_sample),
             "snc_scale_add_per_sample");
        call(snc_scale_add_per_sample(context, z.f(), scale.f(), multiplier, z.f(), samples, per_sample),
             "snc_scale_add_per_sample (in place)");
        const std::vector<float> got = y.read<float>(y0.size()), got_z = z.read<float>(n);
        for (size_t i = 0; i < n; ++i) {
            const float s = multiplier * scale0[i / static_cast<size_t>(per_sample)];
            c.exact("y", i, std::fmaf(s, x0[i], y0[i]), got[i]);
            c.exact("x (in place)", i, std::fmaf(s, x0[i], x0[i]), got_z[i]);
        }
        check_guard(c, y0, got, n);
    });
}

// The update both SGD kernels share: g = fmaf(wd, p, grad), v = fmaf(momentum, v, g),
// p = fmaf(-lr, v, p), all float32: replayed bit for bit.
void sgd_reference(float& p, float grad, float& v, float lr, float momentum, float weight_decay) {
    const float g = std::fmaf(weight_decay, p, grad);
    v = std::fmaf(momentum, v, g);
    p = std::fmaf(-lr, v, p);
}

void check_sgd_momentum(int64_t count) {
    run_check("sgd_momentum", sizes({{"count", count}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(count);
        std::vector<float> p = random_floats(n + kGuard), v = random_floats(n + kGuard);
        const std::vector<float> g = random_floats(n), p0 = p, v0 = v;
        const float rates[] = {0.05f, 0.0371f}, momentum = 0.9f, weight_decay = 3e-4f;
        Buffer dp(p), dg(g), dv(v);
        for (float lr : rates) {
            call(snc_sgd_momentum(context, dp.f(), dg.f(), dv.f(), count, lr, momentum, weight_decay),
                 "snc_sgd_momentum");
            for (size_t i = 0; i < n; ++i) sgd_reference(p[i], g[i], v[i], lr, momentum, weight_decay);
        }
        const std::vector<float> got_p = dp.read<float>(p.size()), got_v = dv.read<float>(v.size());
        for (size_t i = 0; i < n; ++i) {
            c.exact("param", i, p[i], got_p[i]);
            c.exact("velocity", i, v[i], got_v[i]);
        }
        check_guard(c, p0, got_p, n);
        check_guard(c, v0, got_v, n);
    });
}

// The fused update over many tensors (chunks of 2048 elements found by binary search), two steps
// whose learning rates lie at different device addresses (the kernel reads the rate when it runs).
void check_sgd_momentum_all(const char* label, const std::vector<int64_t>& counts) {
    int64_t total = 0;
    for (int64_t n : counts) total += n;
    const int64_t tensors = static_cast<int64_t>(counts.size());
    run_check("sgd_momentum_all", std::string(label) + ":" + sizes({{"tensors", tensors}, {"elements", total}}),
              [&](Comparison& c) {
        const float rates[] = {0.05f, 0.0371f}, momentum = 0.9f, weight_decay = 3e-4f;
        std::vector<std::vector<float>> p, g, v;
        std::vector<std::unique_ptr<Buffer>> dp, dg, dv;
        std::vector<int64_t> addresses(4 * counts.size());
        for (int64_t t = 0; t < tensors; ++t) {
            const size_t n = static_cast<size_t>(counts[t]);
            p.push_back(random_floats(n));
            g.push_back(random_floats(n));
            v.push_back(random_floats(n));
            dp.emplace_back(new Buffer(p.back()));
            dg.emplace_back(new Buffer(g.back()));
            dv.emplace_back(new Buffer(v.back()));
            addresses[t] = dp.back()->address();
            addresses[tensors + t] = dg.back()->address();
            addresses[2 * tensors + t] = dv.back()->address();
            addresses[3 * tensors + t] = counts[t];
        }
        const int64_t entries = snc_sgd_momentum_table_entries(tensors);
        std::vector<int64_t> table(static_cast<size_t>(entries));
        call(snc_sgd_momentum_table(addresses.data(), tensors, table.data(), entries), "snc_sgd_momentum_table");
        int64_t chunks = 0;  // ceil(count / 2048) per tensor, the documented chunking
        for (int64_t n : counts) chunks += (n + 2047) / 2048;
        c.expect(table.back() == chunks, "table's chunk count " + std::to_string(table.back()) + ", expected " +
                                             std::to_string(chunks));
        Buffer device_table(static_cast<int64_t>(table.size() * sizeof(int64_t)));
        call(snc_copy_pointers_to_device(context, device_table.get(), table.data(), entries),
             "snc_copy_pointers_to_device");
        Buffer device_rates(std::vector<float>(rates, rates + 2));
        for (int step = 0; step < 2; ++step) {
            call(snc_sgd_momentum_all(context, device_table.get(), tensors, table.back(), device_rates.f() + step,
                                      momentum, weight_decay),
                 "snc_sgd_momentum_all");
            for (int64_t t = 0; t < tensors; ++t) {
                for (size_t i = 0; i < p[t].size(); ++i) {
                    sgd_reference(p[t][i], g[t][i], v[t][i], rates[step], momentum, weight_decay);
                }
            }
        }
        for (int64_t t = 0; t < tensors; ++t) {
            const std::vector<float> got_p = dp[t]->read<float>(p[t].size()), got_v = dv[t]->read<float>(v[t].size());
            for (size_t i = 0; i < p[t].size(); ++i) {
                c.exact("param", i, p[t][i], got_p[i]);
                c.exact("velocity", i, v[t][i], got_v[i]);
            }
        }
    });
}

void run() {
    for (int64_t count : stream_counts()) {
        check_fill(count);
        check_copy(count);
        check_axpy(count);
        check_relu(count);
        check_sgd_momentum(count);
    }
    // one launch per streaming family where threads loop (grid capped at 8192 blocks)
    check_fill(kGridStrideCount);
    check_axpy(kGridStrideCount);
    for (int samples : {0, 1, 3, 5}) {
        for (int64_t per_sample : {0, 1, 255, 257, 969, 20011}) check_scale_add(samples, per_sample);
    }
    // sizes around the 2048-element chunk and the 256-thread block, empty tensors (first, middle,
    // last), and a grown net's count of mostly small tensors
    check_sgd_momentum_all("mixed", {0, 1, 255, 257, 2047, 2048, 2049, 0, 20011, 16, 4097, 0});
    check_sgd_momentum_all("empty", {});
    check_sgd_momentum_all("one", {5000});
    std::vector<int64_t> many;
    for (int t = 0; t < 300; ++t) many.push_back(1 + static_cast<int64_t>(rng() % 3000));
    check_sgd_momentum_all("many", many);
}

}  // namespace

const Family& elementwise_family() {
    static const Family family{"elementwise",
                               {"fill_kernel", "axpy_kernel", "relu_forward_kernel", "relu_backward_kernel",
                                "scale_add_per_sample_kernel", "sgd_momentum_kernel", "sgd_momentum_all_kernel"},
                               run};
    return family;
}

}  // namespace check
