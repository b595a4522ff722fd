// The gated-edge kernels: per-sample dot products (partial + finish), the gate gradient, the
// fused gated sum of one edge, forward and backward, with device pointer tables, and the one-launch
// fold of the fused backward's dots into the gate gradients.
//
// Tolerances: the dot products sum exact float64 products (a float32 product is exact in float64),
// so against a long double reference they err by at most (terms + tree depth) * 2^-53 * sum|a*b|;
// 16 covers the block and warp trees. The fmaf outputs of the gated sum are replayed bit for bit,
// and so is the gate-gradient fold, whose summation order (one warp, fixed lanes and tree) the
// host model follows step by step.
#include <algorithm>
#include <memory>
#include <string>

#include "check.hpp"

namespace check {
namespace {

constexpr int64_t kTreeDepth = 16;  // additions past the per-thread loop: block_sum, warp_sum, finish

struct Dot {
    long double value = 0.0L;
    double magnitude = 0.0;  // sum of |a * b|
};

Dot dot(const float* a, const float* b, int64_t n) {
    Dot d;
    for (int64_t i = 0; i < n; ++i) {
        const double product = static_cast<double>(a[i]) * b[i];
        d.value += product;
        d.magnitude += std::fabs(product);
    }
    return d;
}

void check_dot(int samples, int64_t per_sample) {
    run_check("dot_per_sample", sizes({{"samples", samples}, {"per_sample", per_sample}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        const std::vector<float> a0 = random_floats(n), b0 = random_floats(n);
        Buffer a(a0), b(b0), out(nan_doubles(static_cast<size_t>(samples)));
        const int64_t workspace_bytes = snc_dot_per_sample_workspace_bytes(samples, per_sample);
        Buffer workspace(workspace_bytes);
        call(snc_dot_per_sample(context, a.f(), b.f(), samples, per_sample, workspace.d(), workspace_bytes, out.d()),
             "snc_dot_per_sample");
        const std::vector<double> got = out.read<double>(static_cast<size_t>(samples));
        for (int s = 0; s < samples; ++s) {
            const Dot d = dot(a0.data() + s * per_sample, b0.data() + s * per_sample, per_sample);
            c.near("out", s, static_cast<double>(d.value), got[s],
                   kSlack * sum64_error(per_sample + kTreeDepth, d.magnitude));
        }
    });
}

// gate_grads[index] = float(gate_grads[index] + sum_n (multiplier * factor[n]) * dot_n), in
// float64 until the one rounding to float32; the other entries must stay bit for bit.
void check_gate_gradient(int samples, int64_t per_sample) {
    run_check("gate_gradient", sizes({{"samples", samples}, {"per_sample", per_sample}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        const std::vector<float> dy0 = random_floats(n), x0 = random_floats(n);
        const std::vector<float> factor0 = random_floats(static_cast<size_t>(samples), 0.0f, 1.0f);
        const std::vector<float> grads0 = random_floats(5);
        const int index = 3;
        const float multiplier = 1.25f;
        Buffer dy(dy0), x(x0), factor(factor0), grads(grads0);
        const int64_t workspace_bytes = snc_dot_per_sample_workspace_bytes(samples, per_sample);
        Buffer workspace(workspace_bytes), dots(static_cast<int64_t>(samples) * 8);
        call(snc_gate_gradient(context, dy.f(), x.f(), samples, per_sample, workspace.d(), workspace_bytes, dots.d(),
                               factor.f(), multiplier, grads.f(), index),
             "snc_gate_gradient");
        const std::vector<float> got = grads.read<float>(grads0.size());
        long double expected = grads0[index];
        double magnitude = std::fabs(grads0[index]);
        for (int s = 0; s < samples; ++s) {
            const Dot d = dot(dy0.data() + s * per_sample, x0.data() + s * per_sample, per_sample);
            const double f = static_cast<double>(multiplier) * factor0[s];  // exact in float64
            expected += f * d.value;
            magnitude += std::fabs(f) * d.magnitude;
        }
        // the dots' error plus one rounding per product and per sample of the float64 sum
        const double error = sum64_error(per_sample + samples + 2 * kTreeDepth, magnitude);
        c.near("gate_grads", index, static_cast<double>(expected), got[index],
               rounded_tol(static_cast<double>(expected), error));
        for (int i = 0; i < static_cast<int>(grads0.size()); ++i) {
            if (i != index) c.exact("gate_grads (untouched)", i, grads0[i], got[i]);
        }
    });
}

// Device buffers of `ops` inputs of [samples, per_sample] and the table of their addresses.
struct OpTensors {
    std::vector<std::vector<float>> host;
    std::vector<std::unique_ptr<Buffer>> device;
    std::unique_ptr<Buffer> table;

    // absent[j]: entry j of the table is 0 (no tensor), as a closed op's dx is.
    OpTensors(int ops, size_t n, const std::vector<bool>& absent = {}) {
        std::vector<int64_t> addresses(static_cast<size_t>(ops), 0);
        for (int j = 0; j < ops; ++j) {
            host.push_back(random_floats(n));
            device.emplace_back(new Buffer(host.back()));
            if (absent.empty() || !absent[j]) addresses[j] = device.back()->address();
        }
        table.reset(new Buffer(static_cast<int64_t>(ops) * 8));
        call(snc_copy_pointers_to_device(context, table->get(), addresses.data(), ops), "snc_copy_pointers_to_device");
    }
};

// One warp's fold of one gate, as fold_gate_gradient in gated_accumulate.cu runs it: lane l sums
// samples l, l + 32, ... with fma(multiplier * factor[n], dots[n], s) (the product of two floats is
// exact in float64), warp_sum's shuffle-down tree (a lane whose source is past lane 31 adds its own
// value, as __shfl_down_sync returns it), then lane 0's float64 add to the gate and one rounding.
float fold_gate_model(const double* dots, const float* factor, float multiplier, int samples, float gate) {
    double v[32];
    for (int l = 0; l < 32; ++l) {
        double s = 0.0;
        for (int n = l; n < samples; n += 32) {
            const double f = static_cast<double>(multiplier) * static_cast<double>(factor[n]);
            s = std::fma(f, dots[n], s);
        }
        v[l] = s;
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        double next[32];
        for (int l = 0; l < 32; ++l) next[l] = v[l] + (l + offset < 32 ? v[l + offset] : v[l]);
        for (int l = 0; l < 32; ++l) v[l] = next[l];
    }
    return static_cast<float>(static_cast<double>(gate) + v[0]);
}

// The host arrays of one fold call; the C API takes them as pointers that are never null (also
// for ops == 0), so they are handed over from fixed arrays.
struct FoldOps {
    std::vector<int32_t> rows;
    std::vector<float> multipliers;
    std::vector<int32_t> gates;
    int ops() const { return static_cast<int>(rows.size()); }

    int call(float* gate_grads, const double* dots, const float* factors, int samples) const {
        int32_t r[SNC_MAX_GATED_OPS] = {}, g[SNC_MAX_GATED_OPS] = {};
        float m[SNC_MAX_GATED_OPS] = {};
        std::copy(rows.begin(), rows.end(), r);
        std::copy(multipliers.begin(), multipliers.end(), m);
        std::copy(gates.begin(), gates.end(), g);
        return snc_gate_gradient_fold(context, dots, factors, samples, r, m, g, ops(), gate_grads);
    }
};

// gate_grads[gates[j]] += sum_n (multipliers[j] * factors[rows[j], n]) * dots[j, n], op by op in
// order (two ops of one gate add one after the other), replayed bit for bit with the kernel's
// summation order; every other gate stays bit for bit. The dots are random float64 values with
// full mantissas, so every fma and tree addition rounds. With `cancelling`, neighbouring samples
// (so neighbouring lanes) carry terms of about 2^40 that cancel to a small remainder: the float64
// rounding errors of the partial sums (2^-13 each) then show in the float32 result, so a model
// with another summation order, or without the fma, would fail the comparison.
void check_gate_gradient_fold(const FoldOps& fold, int samples, int factor_rows, int gate_count,
                              bool cancelling = false) {
    const int ops = fold.ops();
    bool repeated = false;
    for (int j = 0; j < ops; ++j) {
        for (int k = 0; k < j; ++k) repeated = repeated || fold.gates[k] == fold.gates[j];
    }
    run_check("gate_gradient_fold",
              sizes({{"ops", ops}, {"samples", samples}, {"rows", factor_rows}, {"repeated_gate", repeated},
                     {"cancelling", cancelling}}),
              [&](Comparison& c) {
        std::vector<float> factors0 = random_floats(static_cast<size_t>(factor_rows) * samples, 0.0f, 1.0f);
        for (size_t i = 0; i < factors0.size(); i += 3) factors0[i] = 0.0f;  // dropped paths
        std::uniform_real_distribution<double> uniform(-1.0, 1.0);
        std::vector<double> dots0(static_cast<size_t>(ops) * samples);
        for (double& d : dots0) d = uniform(rng);
        for (int j = 0; cancelling && j < ops; ++j) {
            double* d = dots0.data() + static_cast<size_t>(j) * samples;
            const float* factor = factors0.data() + static_cast<size_t>(fold.rows[j]) * samples;
            for (int n = 0; n + 1 < samples; n += 2) {
                const double f0 = static_cast<double>(fold.multipliers[j]) * factor[n];
                const double f1 = static_cast<double>(fold.multipliers[j]) * factor[n + 1];
                if (f0 == 0.0 || f1 == 0.0) continue;  // a dropped path: nothing would cancel it
                d[n] = std::ldexp(uniform(rng), 40);
                d[n + 1] = -(f0 * d[n]) / f1 + uniform(rng);
            }
        }
        const std::vector<float> grads0 = random_floats(static_cast<size_t>(gate_count));
        // at least one byte each, so that an empty case still passes real device addresses
        Buffer dots(std::max<int64_t>(static_cast<int64_t>(dots0.size()) * 8, 8));
        Buffer factors(std::max<int64_t>(static_cast<int64_t>(factors0.size()) * 4, 4));
        Buffer grads(grads0);
        if (!dots0.empty()) dots.write(dots0);
        if (!factors0.empty()) factors.write(factors0);
        call(fold.call(grads.f(), dots.d(), factors.f(), samples), "snc_gate_gradient_fold");
        const std::vector<float> got = grads.read<float>(grads0.size());
        std::vector<float> expected = grads0;
        if (samples > 0) {  // no samples: nothing launched, nothing added (as snc_gate_gradient)
            for (int j = 0; j < ops; ++j) {
                float& g = expected[fold.gates[j]];
                g = fold_gate_model(dots0.data() + static_cast<size_t>(j) * samples,
                                    factors0.data() + static_cast<size_t>(fold.rows[j]) * samples, fold.multipliers[j],
                                    samples, g);
            }
        }
        for (size_t i = 0; i < expected.size(); ++i) c.exact("gate_grads", i, expected[i], got[i]);
    });
}

// The fused backward's dots folded in one launch give exactly what one snc_gate_gradient per op
// gives (the dots are the dot kernels' bits, the fold their finish kernel's code), including two
// ops of one gate and dropped paths (zero factors).
void check_fold_matches_per_op(const FoldOps& fold, int samples, int64_t per_sample, int factor_rows,
                               int gate_count) {
    const int ops = fold.ops();
    run_check("gated_backward_fold_vs_per_op",
              sizes({{"ops", ops}, {"samples", samples}, {"per_sample", per_sample}}), [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        OpTensors x(ops, n), dx(ops, n);
        const std::vector<float> dy0 = random_floats(n);
        std::vector<float> factors0 = random_floats(static_cast<size_t>(factor_rows) * samples, 0.0f, 1.0f);
        for (size_t i = 1; i < factors0.size(); i += 4) factors0[i] = 0.0f;
        std::vector<float> scale0(static_cast<size_t>(ops) * samples);  // the kernel's [ops, samples] factors
        for (int j = 0; j < ops; ++j) {
            for (int s = 0; s < samples; ++s) {
                scale0[static_cast<size_t>(j) * samples + s] =
                    fold.multipliers[j] * factors0[static_cast<size_t>(fold.rows[j]) * samples + s];
            }
        }
        const std::vector<float> grads0 = random_floats(static_cast<size_t>(gate_count));
        const size_t rows = static_cast<size_t>(ops) * samples;
        Buffer dy(dy0), scale(scale0), factors(factors0), dots(nan_doubles(rows)), fused(grads0), per_op(grads0);
        const int64_t workspace_bytes = std::max(snc_gated_sum_backward_workspace_bytes(ops, samples, per_sample),
                                                 snc_dot_per_sample_workspace_bytes(samples, per_sample));
        Buffer workspace(workspace_bytes), op_dots(static_cast<int64_t>(samples) * 8);
        call(snc_gated_sum_backward(context, dy.f(), x.table->get(), scale.f(), dx.table->get(), ops, samples,
                                    per_sample, workspace.d(), workspace_bytes, dots.d()),
             "snc_gated_sum_backward");
        call(fold.call(fused.f(), dots.d(), factors.f(), samples), "snc_gate_gradient_fold");
        for (int j = 0; j < ops; ++j) {
            const float* row = factors.f() + static_cast<size_t>(fold.rows[j]) * samples;
            call(snc_gate_gradient(context, dy.f(), x.device[j]->f(), samples, per_sample, workspace.d(),
                                   workspace_bytes, op_dots.d(), row, fold.multipliers[j], per_op.f(), fold.gates[j]),
                 "snc_gate_gradient");
        }
        const std::vector<float> want = per_op.read<float>(grads0.size());
        const std::vector<float> got = fused.read<float>(grads0.size());
        for (size_t i = 0; i < want.size(); ++i) c.exact("gate_grads", i, want[i], got[i]);
    });
}

// Null pointers, samples < 0, ops outside [0, SNC_MAX_GATED_OPS] and negative rows or gates give
// SNC_ERR_ARGUMENT and queue nothing.
void check_fold_arguments() {
    run_check("gate_gradient_fold_arguments", "-", [&](Comparison& c) {
        const std::vector<float> grads0 = random_floats(4);
        Buffer dots(nan_doubles(64)), factors(random_floats(64)), grads(grads0);
        const int32_t rows[SNC_MAX_GATED_OPS + 1] = {0, 1, 0, 1, 0, 1, 0, 1, 0};
        const float multipliers[SNC_MAX_GATED_OPS + 1] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        const int32_t gates[SNC_MAX_GATED_OPS + 1] = {0, 1, 2, 3, 0, 1, 2, 3, 0};
        const int32_t negative[1] = {-1};
        const auto rejects = [&](int status, const char* what) {
            c.expect(status == SNC_ERR_ARGUMENT, std::string(what) + " returned " + std::to_string(status));
        };
        rejects(snc_gate_gradient_fold(context, nullptr, factors.f(), 4, rows, multipliers, gates, 2, grads.f()),
                "null dots");
        rejects(snc_gate_gradient_fold(context, dots.d(), nullptr, 4, rows, multipliers, gates, 2, grads.f()),
                "null factors");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, nullptr, multipliers, gates, 2, grads.f()),
                "null rows");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, rows, nullptr, gates, 2, grads.f()),
                "null multipliers");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, rows, multipliers, nullptr, 2, grads.f()),
                "null gates");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, rows, multipliers, gates, 2, nullptr),
                "null gate_grads");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), -1, rows, multipliers, gates, 2, grads.f()),
                "samples -1");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, rows, multipliers, gates, -1, grads.f()),
                "ops -1");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, rows, multipliers, gates,
                                       SNC_MAX_GATED_OPS + 1, grads.f()),
                "ops SNC_MAX_GATED_OPS + 1");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, negative, multipliers, gates, 1, grads.f()),
                "a negative row");
        rejects(snc_gate_gradient_fold(context, dots.d(), factors.f(), 4, rows, multipliers, negative, 1, grads.f()),
                "a negative gate");
        const std::vector<float> got = grads.read<float>(grads0.size());  // the NaN dots never reached them
        for (size_t i = 0; i < got.size(); ++i) c.exact("gate_grads (untouched)", i, grads0[i], got[i]);
    });
}

// y[n, i] += sum_j scale[j, n] * x_j[n, i], op by op in fmaf: replayed bit for bit.
void check_gated_sum_forward(int ops, int samples, int64_t per_sample) {
    run_check("gated_sum_forward", sizes({{"ops", ops}, {"samples", samples}, {"per_sample", per_sample}}),
              [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        OpTensors x(ops, n);
        std::vector<float> scale0 = random_floats(static_cast<size_t>(ops) * samples, 0.0f, 2.0f);
        if (!scale0.empty()) scale0[scale0.size() / 2] = 0.0f;  // a dropped path
        const std::vector<float> y0 = random_floats(n + 3);
        Buffer scale(scale0), y(y0);
        call(snc_gated_sum_forward(context, x.table->get(), scale.f(), y.f(), ops, samples, per_sample),
             "snc_gated_sum_forward");
        const std::vector<float> got = y.read<float>(y0.size());
        for (size_t i = 0; i < n; ++i) {
            const size_t s = i / static_cast<size_t>(per_sample);
            float acc = y0[i];
            for (int j = 0; j < ops; ++j) acc = std::fmaf(scale0[j * samples + s], x.host[j][i], acc);
            c.exact("y", i, acc, got[i]);
        }
        for (size_t i = n; i < y0.size(); ++i) c.exact("guard", i, y0[i], got[i]);
    });
}

// dx_j[n, i] = fmaf(scale[j, n], dy[n, i], dx_j[n, i]) for every op whose table entry is not 0
// (bit for bit), dots[j, n] = sum_i dy[n, i] * x_j[n, i] (float64, see the top).
void check_gated_sum_backward(int ops, int samples, int64_t per_sample, int absent_op) {
    run_check("gated_sum_backward",
              sizes({{"ops", ops}, {"samples", samples}, {"per_sample", per_sample}, {"null_dx", absent_op}}),
              [&](Comparison& c) {
        const size_t n = static_cast<size_t>(samples) * static_cast<size_t>(per_sample);
        std::vector<bool> absent(static_cast<size_t>(ops), false);
        if (absent_op >= 0) absent[absent_op] = true;
        OpTensors x(ops, n), dx(ops, n, absent);
        const std::vector<float> dy0 = random_floats(n), scale0 = random_floats(static_cast<size_t>(ops) * samples);
        const size_t rows = static_cast<size_t>(ops) * samples;
        Buffer dy(dy0), scale(scale0), dots(nan_doubles(rows));
        const int64_t workspace_bytes = snc_gated_sum_backward_workspace_bytes(ops, samples, per_sample);
        Buffer workspace(workspace_bytes);
        call(snc_gated_sum_backward(context, dy.f(), x.table->get(), scale.f(), dx.table->get(), ops, samples,
                                    per_sample, workspace.d(), workspace_bytes, dots.d()),
             "snc_gated_sum_backward");
        const std::vector<double> got_dots = dots.read<double>(rows);
        for (int j = 0; j < ops; ++j) {
            const std::vector<float> got = dx.device[j]->read<float>(n);
            for (size_t i = 0; i < n; ++i) {
                const float g = dy0[i];
                const float expected =
                    absent[j] ? dx.host[j][i] : std::fmaf(scale0[j * samples + i / per_sample], g, dx.host[j][i]);
                c.exact(absent[j] ? "dx (null entry, untouched)" : "dx", i, expected, got[i]);
            }
            for (int s = 0; s < samples; ++s) {
                const Dot d = dot(dy0.data() + s * per_sample, x.host[j].data() + s * per_sample, per_sample);
                c.near("dots", static_cast<size_t>(j) * samples + s, static_cast<double>(d.value),
                       got_dots[static_cast<size_t>(j) * samples + s],
                       kSlack * sum64_error(per_sample + kTreeDepth, d.magnitude));
            }
        }
    });
}

void run() {
    // per_sample 0 still writes a zero dot; 2048 elements per block, so 5000 spans three partials
    for (int64_t per_sample : {0, 1, 385, 2048, 5000, 20011}) check_dot(3, per_sample);
    check_dot(1, 4097);
    check_dot(0, 100);
    check_dot(70, 33);
    // more than 32 samples exercises every lane of the finishing warp
    check_gate_gradient(3, 969);
    check_gate_gradient(70, 33);
    check_gate_gradient(4, 0);
    check_gate_gradient(1, 5000);
    check_gate_gradient(0, 10);
    check_gated_sum_forward(1, 1, 1);
    check_gated_sum_forward(3, 3, 1001);
    check_gated_sum_forward(8, 2, 2570);
    check_gated_sum_forward(5, 40, 17);
    check_gated_sum_forward(0, 3, 100);
    check_gated_sum_forward(2, 0, 100);
    check_gated_sum_forward(2, 3, 0);
    check_gated_sum_backward(1, 1, 1, -1);
    check_gated_sum_backward(3, 3, 1001, 1);
    check_gated_sum_backward(8, 2, 5000, 0);
    check_gated_sum_backward(8, 2, 257, 7);
    check_gated_sum_backward(4, 40, 33, 2);
    check_gated_sum_backward(2, 3, 0, -1);
    check_gated_sum_backward(0, 3, 100, -1);
    // more than 32 samples: every lane and the whole shuffle tree; gate 1 twice, in order
    check_gate_gradient_fold({{4, 0, 2}, {1.25f, 1.0f / 0.7f, 1.0f}, {1, 3, 1}}, 70, 5, 6);
    check_gate_gradient_fold({{0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, 0.5f, 1.0f / 0.7f, 1, 1, 3, 1.0f / 0.9f},
                              {0, 1, 2, 3, 4, 5, 2, 7}},
                             33, 8, 9);
    check_gate_gradient_fold({{0, 0, 0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2, 2, 2}}, 100, 1, 3);
    check_gate_gradient_fold({{1}, {1.0f / 0.7f}, {0}}, 1, 2, 2);
    check_gate_gradient_fold({{0, 1}, {1, 1}, {1, 1}}, 31, 2, 2);
    check_gate_gradient_fold({{4, 0, 2}, {1.25f, 1.0f / 0.7f, 1.0f}, {1, 3, 1}}, 70, 5, 6, true);
    check_gate_gradient_fold({{0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, 0.5f, 1.0f / 0.7f, 1, 1, 3, 1.0f / 0.9f},
                              {0, 1, 2, 3, 4, 5, 2, 7}},
                             200, 8, 9, true);
    check_gate_gradient_fold({{0, 1, 1}, {1, 2, 3}, {0, 1, 0}}, 0, 2, 3);  // no samples: nothing added
    check_gate_gradient_fold({{}, {}, {}}, 40, 2, 3);                     // no ops
    check_fold_matches_per_op({{0, 2, 1}, {1.0f / 0.7f, 1.25f, 1.0f}, {0, 2, 0}}, 40, 33, 3, 4);
    check_fold_matches_per_op({{0, 1, 2, 3, 4, 5, 6, 7}, {1, 1, 1, 1, 1, 1, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7}}, 3, 2100,
                              8, 8);
    check_fold_arguments();
}

}  // namespace

const Family& gated_family() {
    static const Family family{"gated",
                               {"dot_per_sample_partial_kernel", "dot_per_sample_finish_kernel",
                                "gate_gradient_finish_kernel", "gate_gradient_fold_kernel", "gated_sum_forward_kernel",
                                "gated_sum_backward_kernel"},
                               run};
    return family;
}

}  // namespace check
