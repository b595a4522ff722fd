// The classifier head: the linear layer (forward, backward data / weight / bias) and the mean
// softmax cross-entropy (per-row losses and gradients, then the mean), against long double loops.
//
// Both families compute in float64 and round once to float32 (then, in the backward ops, add once
// into the accumulated gradient): the bound is 2^-24 (|value| + |accumulated result|) plus twice
// the float64 computation's own bound.
#include "check.hpp"

namespace check {
namespace {

struct Total {
    long double value = 0.0L;
    double magnitude = 0.0;
    void add(long double term) {
        value += term;
        magnitude += std::fabs(static_cast<double>(term));
    }
};

// An accumulated float32 output: initial + float(sum), sum a float64 sum of `terms` terms.
void near_accumulated(Comparison& c, const char* what, size_t index, float initial, const Total& sum, int64_t terms,
                      float got) {
    const double value = static_cast<double>(sum.value), expected = initial + value;
    c.near(what, index, expected, got,
           kSlack * kU32 * (std::fabs(value) + std::fabs(expected)) + 2 * sum64_error(terms, sum.magnitude));
}

// y = x w^T + b (overwritten), then dx, dw, db accumulated; dx may be null (no input gradient).
void check_linear(int batch, int in, int out, bool with_dx) {
    run_check("linear_forward+backward",
              sizes({{"batch", batch}, {"in", in}, {"out", out}, {"dx", with_dx ? 1 : 0}}), [&](Comparison& c) {
        const size_t nx = static_cast<size_t>(batch) * in, nw = static_cast<size_t>(out) * in,
                     ny = static_cast<size_t>(batch) * out;
        const std::vector<float> x0 = random_floats(nx), w0 = random_floats(nw), b0 = random_floats(out),
                                 dy0 = random_floats(ny), dx0 = random_floats(nx), dw0 = random_floats(nw),
                                 db0 = random_floats(out), y0 = nan_floats(ny + 2);
        Buffer x(x0), w(w0), b(b0), y(y0), dy(dy0), dx(dx0), dw(dw0), db(db0);
        call(snc_linear_forward(context, x.f(), w.f(), b.f(), y.f(), batch, in, out), "snc_linear_forward");
        call(snc_linear_backward(context, x.f(), w.f(), dy.f(), with_dx ? dx.f() : nullptr, dw.f(), db.f(), batch, in,
                                 out),
             "snc_linear_backward");
        const std::vector<float> got_y = y.read<float>(ny + 2), got_dx = dx.read<float>(nx),
                                 got_dw = dw.read<float>(nw), got_db = db.read<float>(out);
        for (int n = 0; n < batch; ++n)
            for (int m = 0; m < out; ++m) {
                Total sum;
                sum.add(b0[m]);
                for (int k = 0; k < in; ++k) sum.add(static_cast<long double>(x0[n * in + k]) * w0[m * in + k]);
                const double expected = static_cast<double>(sum.value);
                c.near("y", n * out + m, expected, got_y[n * out + m],
                       rounded_tol(expected, sum64_error(in + 1, sum.magnitude)));
            }
        for (size_t i = ny; i < ny + 2; ++i) c.expect(std::isnan(got_y[i]), "y written past its end");
        for (int n = 0; n < batch; ++n)
            for (int k = 0; k < in; ++k) {
                const size_t i = static_cast<size_t>(n) * in + k;
                if (!with_dx) {
                    c.exact("dx (null, untouched)", i, dx0[i], got_dx[i]);
                    continue;
                }
                Total sum;
                for (int m = 0; m < out; ++m) sum.add(static_cast<long double>(dy0[n * out + m]) * w0[m * in + k]);
                near_accumulated(c, "dx", i, dx0[i], sum, out, got_dx[i]);
            }
        for (int m = 0; m < out; ++m) {
            for (int k = 0; k < in; ++k) {
                Total sum;
                for (int n = 0; n < batch; ++n) sum.add(static_cast<long double>(dy0[n * out + m]) * x0[n * in + k]);
                const size_t i = static_cast<size_t>(m) * in + k;
                near_accumulated(c, "dw", i, dw0[i], sum, batch, got_dw[i]);
            }
            Total sum;
            for (int n = 0; n < batch; ++n) sum.add(dy0[n * out + m]);
            near_accumulated(c, "db", m, db0[m], sum, batch, got_db[m]);
        }
    });
}

// loss += scale * mean_n (log sum_m exp(z[n, m] - max) - (z[n, label] - max)) and
// d_logits += scale / batch * (softmax - onehot), float64 throughout. The float64 exp and log
// err by about an ulp each, the sums by `classes` roundings; 8 (classes + 8) 2^-53 relative to
// each row's magnitudes bounds it. labels holds `bad` invalid ids from row 1 on (NaN, -1, classes,
// 1.5): the loss must then be NaN, and the valid rows' gradients still right.
void check_softmax_cross_entropy(int batch, int classes, double scale, float spread, int bad) {
    run_check("softmax_cross_entropy",
              sizes({{"batch", batch}, {"classes", classes}, {"spread", static_cast<long long>(spread)}, {"bad", bad}}),
              [&](Comparison& c) {
        const size_t n = static_cast<size_t>(batch) * classes;
        const std::vector<float> z = random_floats(n, -spread, spread), dz0 = random_floats(n);
        std::vector<float> labels(static_cast<size_t>(batch));
        for (float& l : labels) l = static_cast<float>(random_int(0, classes - 1));
        const float invalid[] = {std::nanf(""), -1.0f, static_cast<float>(classes), 1.5f};
        for (int k = 0; k < bad; ++k) labels[1 + k] = invalid[k % 4];
        const std::vector<float> loss0 = random_floats(1);
        Buffer dZ(z), dL(labels), dDz(dz0), loss(loss0);
        const int64_t workspace_bytes = snc_softmax_cross_entropy_workspace_bytes(batch);
        Buffer workspace(workspace_bytes);
        call(snc_softmax_cross_entropy(context, dZ.f(), dL.f(), dDz.f(), batch, classes, scale, workspace.d(),
                                       workspace_bytes, loss.f()),
             "snc_softmax_cross_entropy");
        const std::vector<float> got_dz = dDz.read<float>(n), got_loss = loss.read<float>(1);
        const double rho_row = 8.0 * (classes + 8) * kU64;
        const double factor = scale / batch;
        long double loss_sum = 0.0L;
        double loss_error = 0.0, loss_magnitude = 0.0;
        for (int r = 0; r < batch; ++r) {
            const float label = labels[r];
            if (!(label >= 0.0f) || label >= classes || label != std::trunc(label)) continue;
            const float* zr = &z[static_cast<size_t>(r) * classes];
            long double max = zr[0], sum = 0.0L;
            for (int m = 1; m < classes; ++m) max = std::max(max, static_cast<long double>(zr[m]));
            for (int m = 0; m < classes; ++m) sum += std::exp(zr[m] - max);
            const int l = static_cast<int>(label);
            const long double row = std::log(sum) - (zr[l] - max);
            loss_sum += row;
            loss_magnitude += std::fabs(static_cast<double>(row));
            loss_error += rho_row * (1.0 + std::fabs(static_cast<double>(std::log(sum))) +
                                     std::fabs(static_cast<double>(zr[l] - max)));
            for (int m = 0; m < classes; ++m) {
                const size_t i = static_cast<size_t>(r) * classes + m;
                const double p = static_cast<double>(std::exp(zr[m] - max) / sum);
                const double g = factor * (p - (m == l ? 1.0 : 0.0)), expected = dz0[i] + g;
                const double error = std::fabs(factor) * rho_row * (p + 1);
                c.near("d_logits", i, expected, got_dz[i],
                       kSlack * kU32 * (std::fabs(g) + std::fabs(expected)) + 2 * error);
            }
        }
        if (bad > 0) {
            c.expect(std::isnan(got_loss[0]), "loss " + std::to_string(got_loss[0]) + " with invalid labels, not NaN");
            return;
        }
        const double expected = loss0[0] + scale * static_cast<double>(loss_sum / batch);
        const double error = std::fabs(scale) * (loss_error + sum64_error(batch + 8, loss_magnitude)) / batch;
        c.near("loss", 0, expected, got_loss[0], rounded_tol(expected, error));
    });
}

void run() {
    check_linear(3, 17, 10, true);
    check_linear(3, 17, 10, false);
    check_linear(64, 40, 10, true);  // 640 outputs: three blocks
    check_linear(1, 1, 1, true);
    check_linear(300, 3, 2, true);   // long sums over the batch for dw and db
    check_linear(5, 0, 4, true);     // in = 0: y = b, no dx or dw elements
    check_linear(0, 8, 3, true);     // batch = 0: nothing written, gradients unchanged
    check_linear(4, 6, 0, true);     // out = 0: dx gets empty sums
    check_softmax_cross_entropy(3, 10, 1.0, 3.0f, 0);
    check_softmax_cross_entropy(70, 7, 0.4, 3.0f, 0);    // more rows than the warp's lanes
    check_softmax_cross_entropy(300, 10, 1.0, 5.0f, 0);  // two blocks of rows
    check_softmax_cross_entropy(1, 1, 1.0, 1.0f, 0);     // one class: loss 0, gradient 0
    check_softmax_cross_entropy(5, 10, 1.0, 1000.0f, 0);  // exp overflows without the max shift
    for (int bad = 1; bad <= 4; ++bad) check_softmax_cross_entropy(6, 5, 1.0, 3.0f, bad);
}

}  // namespace

const Family& head_family() {
    static const Family family{"head",
                               {"linear_forward_kernel", "linear_backward_data_kernel", "linear_backward_weight_kernel",
                                "linear_backward_bias_kernel", "softmax_cross_entropy_rows_kernel", "add_mean_kernel"},
                               run};
    return family;
}

}  // namespace check
