// The gated-edge kernels: per-sample dot products (partial + finish), the gate gradient, and the
// fused gated sum of one edge, forward and backward, with device pointer tables.
//
// Tolerances: the dot products sum exact float64 products (a float32 product is exact in float64),
// so against a long double reference they err by at most (terms + tree depth) * 2^-53 * sum|a*b|;
// 16 covers the block and warp trees. The fmaf outputs of the gated sum are replayed bit for bit.
#include <memory>

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
}

}  // namespace

const Family& gated_family() {
    static const Family family{"gated",
                               {"dot_per_sample_partial_kernel", "dot_per_sample_finish_kernel",
                                "gate_gradient_finish_kernel", "gated_sum_forward_kernel", "gated_sum_backward_kernel"},
                               run};
    return family;
}

}  // namespace check
