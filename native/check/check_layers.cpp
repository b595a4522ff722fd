// BatchNorm (train, eval, backward), max / average pooling (forward, backward), subsampling from an
// offset, global average pooling and channel concatenation, against long double / float64 loops.
#include <algorithm>
#include <array>
#include <memory>

#include "check.hpp"

namespace check {
namespace {

// ---- BatchNorm -------------------------------------------------------------------------------

// Per-channel statistics of x [batch, channels, plane], in long double.
struct Stats {
    long double mean, squares;
    double abs_mean;  // mean of |x|: the scale of the float64 sums' rounding
};

std::vector<Stats> channel_stats(const std::vector<float>& x, int batch, int channels, int64_t plane) {
    std::vector<Stats> stats(static_cast<size_t>(channels));
    const int64_t count = batch * plane;
    for (int c = 0; c < channels; ++c) {
        long double sum = 0.0L;
        double abs_sum = 0.0;
        for (int n = 0; n < batch; ++n)
            for (int64_t s = 0; s < plane; ++s) {
                sum += x[(static_cast<size_t>(n) * channels + c) * plane + s];
                abs_sum += std::fabs(x[(static_cast<size_t>(n) * channels + c) * plane + s]);
            }
        const long double mean = sum / count;
        long double squares = 0.0L;
        for (int n = 0; n < batch; ++n)
            for (int64_t s = 0; s < plane; ++s) {
                const long double d = x[(static_cast<size_t>(n) * channels + c) * plane + s] - mean;
                squares += d * d;
            }
        stats[c] = {mean, squares, abs_sum / count};
    }
    return stats;
}

// Relative error bound of the kernels' float64 statistics (a sum over `count` terms, a division,
// a square root): a generous 8 (count + 16) 2^-53, still about 10^4 below float32 rounding.
double stats_error(int64_t count) { return 8.0 * static_cast<double>(count + 16) * kU64; }

// Train: the float64 mean and biased variance per channel, then y = fmaf(float(gamma * inv_std),
// x - float(mean), beta), whose three float32 roundings (scale, mean, difference) and the fmaf's
// give |y - exact| <= 2^-24 (|y| + |scale| (2 |x - mean| + |mean|)).
void check_batch_norm_train(int batch, int channels, int64_t plane) {
    run_check("batch_norm_train", sizes({{"batch", batch}, {"channels", channels}, {"plane", plane}}),
              [&](Comparison& c) {
        const size_t n = static_cast<size_t>(batch) * channels * plane;
        std::vector<float> x0 = random_floats(n);
        for (size_t i = 0; i < n; ++i) x0[i] += 1.5f * static_cast<float>((i / plane) % channels);  // means apart
        const std::vector<float> gamma0 = random_floats(channels, 0.5f, 1.5f), beta0 = random_floats(channels);
        const std::vector<float> rm0 = random_floats(channels), rv0 = random_floats(channels, 0.5f, 2.0f);
        const float momentum = 0.1f, eps = 1e-5f;
        Buffer x(x0), gamma(gamma0), beta(beta0), y(nan_floats(n)), mean(nan_floats(channels)),
            inv_std(nan_floats(channels)), rm(rm0), rv(rv0);
        call(snc_batch_norm_train(context, x.f(), gamma.f(), beta.f(), y.f(), mean.f(), inv_std.f(), rm.f(), rv.f(),
                                  batch, channels, plane, momentum, eps),
             "snc_batch_norm_train");
        const std::vector<float> got_y = y.read<float>(n), got_mean = mean.read<float>(channels),
                                 got_inv = inv_std.read<float>(channels), got_rm = rm.read<float>(channels),
                                 got_rv = rv.read<float>(channels);
        const int64_t count = batch * plane;
        const double rho = stats_error(count);
        const std::vector<Stats> stats = channel_stats(x0, batch, channels, plane);
        for (int ch = 0; ch < channels; ++ch) {
            const double m = static_cast<double>(stats[ch].mean);
            const double inv = static_cast<double>(1.0L / std::sqrt(stats[ch].squares / count + eps));
            const double unbiased = static_cast<double>(stats[ch].squares / (count - 1));
            const double mom = momentum;
            c.near("save_mean", ch, m, got_mean[ch], rounded_tol(m, rho * stats[ch].abs_mean));
            c.near("save_inv_std", ch, inv, got_inv[ch], rounded_tol(inv, rho * inv));
            const double erm = (1.0 - mom) * rm0[ch] + mom * m, erv = (1.0 - mom) * rv0[ch] + mom * unbiased;
            c.near("run_mean", ch, erm, got_rm[ch], rounded_tol(erm, rho * (std::fabs(rm0[ch]) + stats[ch].abs_mean)));
            c.near("run_var", ch, erv, got_rv[ch], rounded_tol(erv, rho * (rv0[ch] + unbiased)));
            const double scale = gamma0[ch] * inv;
            for (int b = 0; b < batch; ++b)
                for (int64_t s = 0; s < plane; ++s) {
                    const size_t i = (static_cast<size_t>(b) * channels + ch) * plane + s;
                    const double d = x0[i] - m, expected = scale * d + beta0[ch];
                    const double rounding = std::fabs(expected) + std::fabs(scale) * (2 * std::fabs(d) + std::fabs(m));
                    const double error = rho * std::fabs(scale) * (std::fabs(d) + stats[ch].abs_mean);
                    c.near("y", i, expected, got_y[i], kSlack * kU32 * rounding + error);
                }
        }
    });
}

// Eval: y = gamma (x - run_mean) rsqrtf(run_var + eps) + beta in float32. rsqrtf may err by 2 ulps
// (4 * 2^-24 relative), the other five operations by one rounding each (fused or not): the bound
// is 2^-24 (|y| + 8 |gamma (x - run_mean) inv_std|).
void check_batch_norm_eval(int batch, int channels, int64_t plane) {
    run_check("batch_norm_eval", sizes({{"batch", batch}, {"channels", channels}, {"plane", plane}}),
              [&](Comparison& c) {
        const size_t n = static_cast<size_t>(batch) * channels * plane;
        const std::vector<float> x0 = random_floats(n, -3.0f, 3.0f), gamma0 = random_floats(channels, 0.5f, 1.5f),
                                 beta0 = random_floats(channels), rm0 = random_floats(channels),
                                 rv0 = random_floats(channels, 0.2f, 3.0f);
        const float eps = 1e-5f;
        Buffer x(x0), gamma(gamma0), beta(beta0), rm(rm0), rv(rv0), y(nan_floats(n + 3));
        call(snc_batch_norm_eval(context, x.f(), gamma.f(), beta.f(), rm.f(), rv.f(), y.f(), batch, channels, plane,
                                 eps),
             "snc_batch_norm_eval");
        const std::vector<float> got = y.read<float>(n + 3);
        for (size_t i = 0; i < n; ++i) {
            const size_t ch = (i / plane) % channels;
            const double product = gamma0[ch] * (static_cast<double>(x0[i]) - rm0[ch]) /
                                   std::sqrt(static_cast<double>(rv0[ch]) + static_cast<double>(eps));
            const double expected = product + beta0[ch];
            c.near("y", i, expected, got[i], kSlack * kU32 * (std::fabs(expected) + 8.0 * std::fabs(product)));
        }
        for (size_t i = n; i < n + 3; ++i) c.expect(std::isnan(got[i]), "y written past its end");
    });
}

// Backward from the saved float32 mean and inv_std (the kernel widens them exactly): float64 sums
// of dy and dy * xhat, each rounded once and added once into d_beta / d_gamma; dx += fmaf(a, dy,
// fmaf(k, x - mean, b)) with a, b, k rounded to float32, five roundings bounded term by term.
void check_batch_norm_backward(int batch, int channels, int64_t plane) {
    run_check("batch_norm_backward", sizes({{"batch", batch}, {"channels", channels}, {"plane", plane}}),
              [&](Comparison& c) {
        const size_t n = static_cast<size_t>(batch) * channels * plane;
        const int64_t count = batch * plane;
        const std::vector<float> x0 = random_floats(n, -2.0f, 3.0f), dy0 = random_floats(n), dx0 = random_floats(n);
        const std::vector<float> gamma0 = random_floats(channels, 0.5f, 1.5f), dg0 = random_floats(channels),
                                 db0 = random_floats(channels);
        const std::vector<Stats> stats = channel_stats(x0, batch, channels, plane);
        std::vector<float> mean0(channels), inv0(channels);
        for (int ch = 0; ch < channels; ++ch) {
            mean0[ch] = static_cast<float>(stats[ch].mean);
            inv0[ch] = static_cast<float>(1.0L / std::sqrt(stats[ch].squares / count + 1e-5L));
        }
        Buffer x(x0), dy(dy0), gamma(gamma0), mean(mean0), inv(inv0), dx(dx0), dg(dg0), db(db0);
        call(snc_batch_norm_backward(context, x.f(), dy.f(), gamma.f(), mean.f(), inv.f(), dx.f(), dg.f(), db.f(),
                                     batch, channels, plane),
             "snc_batch_norm_backward");
        const std::vector<float> got_dx = dx.read<float>(n), got_dg = dg.read<float>(channels),
                                 got_db = db.read<float>(channels);
        const double rho = stats_error(count);
        for (int ch = 0; ch < channels; ++ch) {
            const double m = mean0[ch], is = inv0[ch], g = gamma0[ch];
            long double s1 = 0.0L, s2 = 0.0L;
            double a1 = 0.0, a2 = 0.0;
            for (int b = 0; b < batch; ++b)
                for (int64_t s = 0; s < plane; ++s) {
                    const size_t i = (static_cast<size_t>(b) * channels + ch) * plane + s;
                    const long double term = static_cast<long double>(dy0[i]) * (x0[i] - m) * is;
                    s1 += dy0[i];
                    s2 += term;
                    a1 += std::fabs(dy0[i]);
                    a2 += std::fabs(static_cast<double>(term));
                }
            const double sum_dy = static_cast<double>(s1), sum_dy_xhat = static_cast<double>(s2);
            const double edb = db0[ch] + sum_dy, edg = dg0[ch] + sum_dy_xhat;
            c.near("d_beta", ch, edb, got_db[ch],
                   kSlack * kU32 * (std::fabs(sum_dy) + std::fabs(edb)) + 2 * rho * a1);
            c.near("d_gamma", ch, edg, got_dg[ch],
                   kSlack * kU32 * (std::fabs(sum_dy_xhat) + std::fabs(edg)) + 2 * rho * a2);
            const double A = g * is, B = -g * is * sum_dy / count, K = -g * is * is * sum_dy_xhat / count;
            for (int b = 0; b < batch; ++b)
                for (int64_t s = 0; s < plane; ++s) {
                    const size_t i = (static_cast<size_t>(b) * channels + ch) * plane + s;
                    const double d = x0[i] - m, ady = A * dy0[i], kd = K * d;
                    const double expected = dx0[i] + ady + kd + B;
                    const double tol = kSlack * kU32 *
                                           (std::fabs(expected) + std::fabs(ady + kd + B) + std::fabs(ady) +
                                            std::fabs(kd + B) + 2 * std::fabs(kd) + std::fabs(B)) +
                                       rho * std::fabs(A) * (a1 + std::fabs(d) * is * a2) / count;
                    c.near("dx", i, expected, got_dx[i], tol);
                }
        }
    });
}

// ---- pooling -----------------------------------------------------------------------------------

struct Pool {
    int planes, in_h, in_w, kernel, stride, padding;
    int out_h() const { return (in_h + 2 * padding - kernel) / stride + 1; }
    int out_w() const { return (in_w + 2 * padding - kernel) / stride + 1; }
};

// Max pooling takes the FIRST maximum in row-major window order (padding is minus infinity), and
// its gradient goes to that element only; average pooling divides by kernel^2 always. Half the
// planes hold values on a coarse grid so that ties are common; values are negative as often as
// positive, so a window hanging over the padding must not return 0.
void check_pool(const char* label, const Pool& p) {
    const int oh_n = p.out_h(), ow_n = p.out_w();
    const int32_t dims[SNC_POOL_DIMS] = {p.planes, p.in_h, p.in_w, oh_n, ow_n, p.kernel, p.stride, p.padding};
    const size_t nx = static_cast<size_t>(p.planes) * p.in_h * p.in_w, ny = static_cast<size_t>(p.planes) * oh_n * ow_n;
    std::vector<float> x = random_floats(nx);
    for (size_t i = 0; i < nx; ++i) {
        if ((i / (static_cast<size_t>(p.in_h) * p.in_w)) % 2 == 0) x[i] = 0.25f * static_cast<float>(random_int(-3, 3));
    }
    const std::vector<float> dy = random_floats(ny), dx0 = random_floats(nx);
    const double divisor = static_cast<double>(p.kernel) * p.kernel;
    // per output: the max and its flat input index, the window sum; per input: gradient sums
    std::vector<float> ymax(ny);
    std::vector<double> ysum(ny, 0.0), ymag(ny, 0.0), gmax(nx, 0.0), gmax_mag(nx, 0.0), gavg(nx, 0.0),
        gavg_mag(nx, 0.0);
    std::vector<int> yterms(ny, 0), gmax_terms(nx, 0), gavg_terms(nx, 0);
    for (int pl = 0; pl < p.planes; ++pl)
        for (int oh = 0; oh < oh_n; ++oh)
            for (int ow = 0; ow < ow_n; ++ow) {
                const size_t o = (static_cast<size_t>(pl) * oh_n + oh) * ow_n + ow;
                long best = -1;
                for (int kh = 0; kh < p.kernel; ++kh)
                    for (int kw = 0; kw < p.kernel; ++kw) {
                        const int ih = oh * p.stride - p.padding + kh, iw = ow * p.stride - p.padding + kw;
                        if (ih < 0 || ih >= p.in_h || iw < 0 || iw >= p.in_w) continue;
                        const size_t i = (static_cast<size_t>(pl) * p.in_h + ih) * p.in_w + iw;
                        if (best < 0 || x[i] > x[best]) best = static_cast<long>(i);
                        ysum[o] += x[i];
                        ymag[o] += std::fabs(x[i]);
                        ++yterms[o];
                        gavg[i] += dy[o];
                        gavg_mag[i] += std::fabs(dy[o]);
                        ++gavg_terms[i];
                    }
                ymax[o] = x[best];
                gmax[best] += dy[o];
                gmax_mag[best] += std::fabs(dy[o]);
                ++gmax_terms[best];
            }
    const std::string shape = std::string(label) + ":" +
                              sizes({{"planes", p.planes}, {"h", p.in_h}, {"w", p.in_w}, {"k", p.kernel},
                                     {"s", p.stride}, {"p", p.padding}});
    run_check("max_pool_forward", shape, [&](Comparison& c) {
        c.expect(snc_pool_dims_valid(dims) == 1, "snc_pool_dims_valid rejects valid extents");
        Buffer dX(x), dY(nan_floats(ny));
        call(snc_max_pool_forward(context, dims, dX.f(), dY.f()), "snc_max_pool_forward");
        const std::vector<float> got = dY.read<float>(ny);
        for (size_t o = 0; o < ny; ++o) c.exact("y", o, ymax[o], got[o]);
    });
    // float32 sums of the covering windows' gradients (K terms), then one addition into dx
    run_check("max_pool_backward", shape, [&](Comparison& c) {
        Buffer dX(x), dDy(dy), dDx(dx0);
        call(snc_max_pool_backward(context, dims, dX.f(), dDy.f(), dDx.f()), "snc_max_pool_backward");
        const std::vector<float> got = dDx.read<float>(nx);
        for (size_t i = 0; i < nx; ++i) {
            const double expected = dx0[i] + gmax[i];
            c.near("dx", i, expected, got[i], kSlack * kU32 * (gmax_terms[i] * gmax_mag[i] + std::fabs(expected)));
        }
    });
    // a float32 sum of K in-bounds terms, then the division
    run_check("avg_pool_forward", shape, [&](Comparison& c) {
        Buffer dX(x), dY(nan_floats(ny));
        call(snc_avg_pool_forward(context, dims, dX.f(), dY.f()), "snc_avg_pool_forward");
        const std::vector<float> got = dY.read<float>(ny);
        for (size_t o = 0; o < ny; ++o) {
            const double expected = ysum[o] / divisor;
            c.near("y", o, expected, got[o], kSlack * kU32 * (yterms[o] * ymag[o] / divisor + std::fabs(expected)));
        }
    });
    run_check("avg_pool_backward", shape, [&](Comparison& c) {
        Buffer dDy(dy), dDx(dx0);
        call(snc_avg_pool_backward(context, dims, dDy.f(), dDx.f()), "snc_avg_pool_backward");
        const std::vector<float> got = dDx.read<float>(nx);
        for (size_t i = 0; i < nx; ++i) {
            const double expected = dx0[i] + gavg[i] / divisor;
            c.near("dx", i, expected, got[i],
                   kSlack * kU32 *
                       ((gavg_terms[i] * gavg_mag[i] + std::fabs(gavg[i])) / divisor + std::fabs(expected)));
        }
    });
}

// ---- resampling ----------------------------------------------------------------------------------

// y = x[:, o::s, o::s] (a copy: exact; 0 past the edge); the backward adds dy into the sampled
// positions (one float32 addition: replayed bit for bit) and leaves every other dx element as it was.
void check_subsample(int64_t planes, int h, int w, int stride, int offset) {
    run_check("subsample_forward+backward",
              sizes({{"planes", planes}, {"h", h}, {"w", w}, {"stride", stride}, {"offset", offset}}),
              [&](Comparison& c) {
        const int oh_n = (h + stride - 1) / stride, ow_n = (w + stride - 1) / stride;
        const size_t nx = static_cast<size_t>(planes) * h * w, ny = static_cast<size_t>(planes) * oh_n * ow_n;
        const std::vector<float> x0 = random_floats(nx), dy0 = random_floats(ny), dx0 = random_floats(nx);
        Buffer x(x0), y(nan_floats(ny + 3)), dy(dy0), dx(dx0);
        call(snc_subsample_forward(context, x.f(), y.f(), planes, h, w, stride, offset), "snc_subsample_forward");
        call(snc_subsample_backward(context, dy.f(), dx.f(), planes, h, w, stride, offset), "snc_subsample_backward");
        const std::vector<float> got_y = y.read<float>(ny + 3), got_dx = dx.read<float>(nx);
        std::vector<float> expected_dx = dx0;
        for (int64_t pl = 0; pl < planes; ++pl)
            for (int oh = 0; oh < oh_n; ++oh)
                for (int ow = 0; ow < ow_n; ++ow) {
                    const size_t o = (static_cast<size_t>(pl) * oh_n + oh) * ow_n + ow;
                    const int ih = oh * stride + offset, iw = ow * stride + offset;
                    if (ih >= h || iw >= w) {
                        c.exact("y", o, 0.0f, got_y[o]);
                        continue;
                    }
                    const size_t i = (static_cast<size_t>(pl) * h + ih) * w + iw;
                    c.exact("y", o, x0[i], got_y[o]);
                    expected_dx[i] = dx0[i] + dy0[o];
                }
        for (size_t i = 0; i < nx; ++i) c.exact("dx", i, expected_dx[i], got_dx[i]);
        for (size_t o = ny; o < ny + 3; ++o) c.expect(std::isnan(got_y[o]), "y written past its end");
    });
}

// ---- channel concatenation ---------------------------------------------------------------------

// y [batch, sum C_j, plane] from the xs one block per call (copies: exact), then each dx_j += its
// block of dy (one float32 addition each: replayed bit for bit); y's guard tail stays NaN.
void check_concat(int64_t batch, const std::vector<int>& channels, int64_t plane) {
    int total = 0;
    for (int ch : channels) total += ch;
    run_check("concat_channels_forward+backward",
              sizes({{"batch", batch}, {"inputs", static_cast<long long>(channels.size())}, {"channels", total},
                     {"plane", plane}}),
              [&](Comparison& c) {
        const size_t ny = static_cast<size_t>(batch) * total * plane;
        const std::vector<float> dy0 = random_floats(ny);
        Buffer y(nan_floats(ny + 3)), dy(dy0);
        std::vector<std::vector<float>> x0, dx0;
        std::vector<std::unique_ptr<Buffer>> xs, dxs;  // Buffer is neither copied nor moved
        for (int ch : channels) {
            const size_t nx = static_cast<size_t>(batch) * ch * plane;
            x0.push_back(random_floats(nx));
            dx0.push_back(random_floats(nx));
            xs.push_back(std::make_unique<Buffer>(x0.back()));
            dxs.push_back(std::make_unique<Buffer>(dx0.back()));
        }
        int offset = 0;
        for (size_t j = 0; j < channels.size(); ++j) {
            call(snc_concat_channels_forward(context, xs[j]->f(), y.f(), batch, channels[j], total, offset, plane),
                 "snc_concat_channels_forward");
            call(snc_concat_channels_backward(context, dy.f(), dxs[j]->f(), batch, channels[j], total, offset, plane),
                 "snc_concat_channels_backward");
            offset += channels[j];
        }
        const std::vector<float> got_y = y.read<float>(ny + 3);
        offset = 0;
        for (size_t j = 0; j < channels.size(); ++j) {
            const size_t nx = static_cast<size_t>(batch) * channels[j] * plane;
            const std::vector<float> got_dx = dxs[j]->read<float>(nx);
            const size_t run = static_cast<size_t>(channels[j]) * plane, sample = static_cast<size_t>(total) * plane;
            for (size_t i = 0; i < nx; ++i) {
                const size_t o = (i / run) * sample + static_cast<size_t>(offset) * plane + i % run;
                c.exact("y", o, x0[j][i], got_y[o]);
                c.exact("dx", i, dx0[j][i] + dy0[o], got_dx[i]);
            }
            offset += channels[j];
        }
        for (size_t o = ny; o < ny + 3; ++o) c.expect(std::isnan(got_y[o]), "y written past its end");
    });
}

// Forward: a float64 sum per plane, divided and rounded once. Backward: dx += dy * float(1 / plane),
// three float32 roundings (the inverse, the product unless fused, the addition).
void check_global_avg_pool(int64_t planes, int64_t plane) {
    run_check("global_avg_pool_forward+backward", sizes({{"planes", planes}, {"plane", plane}}), [&](Comparison& c) {
        const size_t nx = static_cast<size_t>(planes * plane);
        const std::vector<float> x0 = random_floats(nx), dy0 = random_floats(static_cast<size_t>(planes)),
                                 dx0 = random_floats(nx);
        Buffer x(x0), y(nan_floats(static_cast<size_t>(planes) + 3)), dy(dy0), dx(dx0);
        call(snc_global_avg_pool_forward(context, x.f(), y.f(), planes, plane), "snc_global_avg_pool_forward");
        call(snc_global_avg_pool_backward(context, dy.f(), dx.f(), planes, plane), "snc_global_avg_pool_backward");
        const std::vector<float> got_y = y.read<float>(static_cast<size_t>(planes) + 3), got_dx = dx.read<float>(nx);
        for (int64_t p = 0; p < planes; ++p) {
            long double sum = 0.0L;
            double magnitude = 0.0;
            for (int64_t s = 0; s < plane; ++s) {
                sum += x0[p * plane + s];
                magnitude += std::fabs(x0[p * plane + s]);
            }
            const double mean = static_cast<double>(sum / plane);
            c.near("y", p, mean, got_y[p], rounded_tol(mean, sum64_error(plane + 8, magnitude) / plane));
            for (int64_t s = 0; s < plane; ++s) {
                const size_t i = static_cast<size_t>(p * plane + s);
                const double share = static_cast<double>(dy0[p]) / plane, expected = dx0[i] + share;
                c.near("dx", i, expected, got_dx[i], kSlack * kU32 * (std::fabs(expected) + 2 * std::fabs(share)));
            }
        }
        for (int64_t p = planes; p < planes + 3; ++p) c.expect(std::isnan(got_y[p]), "y written past its end");
    });
}

void run() {
    // counts below, at and above the 512-thread channel block; plane 1; batch 1; the minimum count 2
    const int bn_shapes[][3] = {{2, 3, 37}, {4, 5, 300}, {3, 2, 1}, {1, 4, 2}, {16, 3, 64}, {2, 1, 1}, {8, 2, 257}};
    for (const auto& s : bn_shapes) {
        check_batch_norm_train(s[0], s[1], s[2]);
        check_batch_norm_eval(s[0], s[1], s[2]);
        check_batch_norm_backward(s[0], s[1], s[2]);
    }
    check_batch_norm_eval(16, 16, 1024);  // 2^18 elements: many blocks
    check_pool("3x3_s1_p1", {6, 9, 9, 3, 1, 1});
    check_pool("3x3_s2_p1", {4, 9, 8, 3, 2, 1});
    check_pool("2x2_s2", {3, 7, 7, 2, 2, 0});
    check_pool("3x3_s2", {4, 10, 11, 3, 2, 0});
    check_pool("5x5_s2_p2", {2, 11, 6, 5, 2, 2});
    check_pool("1x1_s2", {2, 5, 5, 1, 2, 0});
    check_pool("4x4_s3_p2", {2, 7, 9, 4, 3, 2});
    check_pool("1x1_planes", {5, 1, 1, 3, 1, 1});
    check_pool("many_blocks", {64, 16, 16, 3, 1, 1});
    for (const auto& s : std::vector<std::array<int, 5>>{{6, 9, 9, 2, 0}, {3, 8, 10, 2, 0}, {2, 7, 5, 3, 0},
                                                           {4, 5, 5, 1, 0}, {0, 4, 4, 2, 0}, {1, 1, 1, 2, 0},
                                                           {64, 16, 17, 2, 0}, {6, 7, 7, 2, 1}, {3, 8, 10, 2, 1},
                                                           {2, 7, 5, 3, 2}, {1, 1, 1, 2, 1}, {64, 16, 17, 2, 1}}) {
        check_subsample(s[0], s[1], s[2], s[3], s[4]);
    }
    // a DARTS cell's four nodes, factorized reduction's two halves, an empty block, many blocks per input
    check_concat(3, {4, 4, 4, 4}, 49);
    check_concat(2, {3, 5}, 16);
    check_concat(2, {2, 0, 3}, 9);
    check_concat(0, {2, 2}, 9);
    check_concat(4, {1, 7}, 1);
    check_concat(16, {8, 8}, 196);
    // one warp per plane, 8 planes per block: 70 planes span 9 blocks; plane 1000 loops per lane
    for (const auto& s : std::vector<std::array<int64_t, 2>>{{10, 49}, {3, 1}, {70, 64}, {0, 5}, {2, 1000}, {300, 9}}) {
        check_global_avg_pool(s[0], s[1]);
    }
}

}  // namespace

const Family& layers_family() {
    static const Family family{"layers",
                               {"batch_norm_train_kernel", "batch_norm_eval_kernel", "batch_norm_backward_kernel",
                                "max_pool_forward_kernel", "max_pool_backward_kernel", "avg_pool_forward_kernel",
                                "avg_pool_backward_kernel", "subsample_forward_kernel", "subsample_backward_kernel",
                                "global_avg_pool_forward_kernel", "global_avg_pool_backward_kernel",
                                "concat_channels_forward_kernel", "concat_channels_backward_kernel"},
                               run};
    return family;
}

}  // namespace check
