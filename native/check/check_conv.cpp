// 2-D convolution through snc_conv2d_*: the depthwise kernels (groups == in_c == out_c) and the
// grouped kernels (everything else: dense, pointwise, grouped, channel multipliers), forward,
// backward-data and backward-filter, against float64 loops over every (output, tap) pair.
//
// Tolerances (K = the taps that land inside the input for that element, |t| their products):
//   forward / backward-data: a float32 fmaf chain over K terms, K * 2^-24 * sum|t|, and the
//     backward's one addition into dx (2^-24 * |dx|);
//   backward-filter: a float64 sum rounded once to float32 and added once into dw,
//     2^-24 * (|sum| + |dw|) plus the float64 sum's own bound.
#include "check.hpp"

namespace check {
namespace {

struct Conv {
    int batch, in_c, in_h, in_w, out_c, kernel, stride, padding, dilation, groups;
    int out_h() const { return (in_h + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1; }
    int out_w() const { return (in_w + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1; }
    size_t x_count() const { return static_cast<size_t>(batch) * in_c * in_h * in_w; }
    size_t y_count() const { return static_cast<size_t>(batch) * out_c * out_h() * out_w(); }
    size_t w_count() const { return static_cast<size_t>(out_c) * (in_c / groups) * kernel * kernel; }
    bool depthwise() const { return groups == in_c && out_c == in_c; }
};

// Sums of one output element: the exact value (float64: float32 products are exact and the
// float64 rounding is 2^-29 of the float32 bound), the magnitude and the number of terms.
struct Sum {
    double value = 0.0, magnitude = 0.0;
    int64_t terms = 0;
    void add(double product) {
        value += product;
        magnitude += std::fabs(product);
        ++terms;
    }
};

void check_conv(const char* label, const Conv& v) {
    const int oh_n = v.out_h(), ow_n = v.out_w(), cg = v.in_c / v.groups, og = v.out_c / v.groups;
    const int32_t dims[SNC_CONV_DIMS] = {v.batch, v.in_c,   v.in_h,   v.in_w,    v.out_c,    oh_n,
                                         ow_n,    v.kernel, v.stride, v.padding, v.dilation, v.groups};
    const std::vector<float> x = random_floats(v.x_count()), w = random_floats(v.w_count());
    const std::vector<float> dy = random_floats(v.y_count()), dx0 = random_floats(v.x_count()),
                             dw0 = random_floats(v.w_count());
    std::vector<Sum> y(v.y_count()), dx(v.x_count()), dw(v.w_count());
    for (int n = 0; n < v.batch; ++n)
        for (int co = 0; co < v.out_c; ++co)
            for (int cl = 0; cl < cg; ++cl)
                for (int oh = 0; oh < oh_n; ++oh)
                    for (int ow = 0; ow < ow_n; ++ow)
                        for (int kh = 0; kh < v.kernel; ++kh)
                            for (int kw = 0; kw < v.kernel; ++kw) {
                                const int ih = oh * v.stride - v.padding + kh * v.dilation;
                                const int iw = ow * v.stride - v.padding + kw * v.dilation;
                                if (ih < 0 || ih >= v.in_h || iw < 0 || iw >= v.in_w) continue;
                                const int ci = (co / og) * cg + cl;
                                const size_t xi = ((static_cast<size_t>(n) * v.in_c + ci) * v.in_h + ih) * v.in_w + iw;
                                const size_t wi = ((static_cast<size_t>(co) * cg + cl) * v.kernel + kh) * v.kernel + kw;
                                const size_t yi = ((static_cast<size_t>(n) * v.out_c + co) * oh_n + oh) * ow_n + ow;
                                y[yi].add(static_cast<double>(x[xi]) * w[wi]);
                                dx[xi].add(static_cast<double>(dy[yi]) * w[wi]);
                                dw[wi].add(static_cast<double>(dy[yi]) * x[xi]);
                            }
    const std::string path = v.depthwise() ? "depthwise" : "grouped";
    const std::string shape =
        std::string(label) + ":" +
        sizes({{"n", v.batch}, {"ci", v.in_c}, {"h", v.in_h}, {"w", v.in_w}, {"co", v.out_c}, {"k", v.kernel},
               {"s", v.stride}, {"p", v.padding}, {"d", v.dilation}, {"g", v.groups}});
    run_check("conv2d_forward/" + path, shape, [&](Comparison& c) {
        c.expect(snc_conv_dims_valid(dims) == 1, "snc_conv_dims_valid rejects valid extents");
        Buffer dX(x), dW(w), dY(nan_floats(y.size()));
        call(snc_conv2d_forward(context, dims, dX.f(), dW.f(), dY.f()), "snc_conv2d_forward");
        const std::vector<float> got = dY.read<float>(y.size());
        for (size_t i = 0; i < y.size(); ++i) c.near("y", i, y[i].value, got[i], sum32_tol(y[i].terms, y[i].magnitude));
    });
    run_check("conv2d_backward_data/" + path, shape, [&](Comparison& c) {
        Buffer dDy(dy), dW(w), dDx(dx0);
        call(snc_conv2d_backward_data(context, dims, dDy.f(), dW.f(), dDx.f()), "snc_conv2d_backward_data");
        const std::vector<float> got = dDx.read<float>(dx.size());
        for (size_t i = 0; i < dx.size(); ++i) {
            const double expected = dx0[i] + dx[i].value;
            c.near("dx", i, expected, got[i],
                   kSlack * kU32 * (static_cast<double>(dx[i].terms) * dx[i].magnitude + std::fabs(expected)));
        }
    });
    run_check("conv2d_backward_filter/" + path, shape, [&](Comparison& c) {
        Buffer dX(x), dDy(dy), dDw(dw0);
        call(snc_conv2d_backward_filter(context, dims, dX.f(), dDy.f(), dDw.f()), "snc_conv2d_backward_filter");
        const std::vector<float> got = dDw.read<float>(dw.size());
        for (size_t i = 0; i < dw.size(); ++i) {
            const double expected = dw0[i] + dw[i].value;
            const double error = sum64_error(dw[i].terms + 16, dw[i].magnitude);
            c.near("dw", i, expected, got[i],
                   kSlack * kU32 * (std::fabs(dw[i].value) + std::fabs(expected)) + 2.0 * error);
        }
    });
}

void run() {
    // the search space's depthwise shapes (sep 3x3 / 5x5, dil 3x3 / 5x5, stride 1 and 2), odd and
    // rectangular planes, a stride that skips inputs, a window wider than the input, a single channel
    check_conv("sep3x3", {2, 5, 9, 9, 5, 3, 1, 1, 1, 5});
    check_conv("dil5x5_s2_rect", {2, 4, 11, 13, 4, 5, 2, 4, 2, 4});
    check_conv("dil3x3_s2", {3, 3, 16, 16, 3, 3, 2, 2, 2, 3});
    check_conv("7x7_rect", {2, 2, 17, 15, 2, 7, 1, 3, 1, 2});
    check_conv("3x3_s3", {2, 3, 10, 8, 3, 3, 3, 0, 1, 3});
    check_conv("5x5_on_3x3", {2, 2, 3, 3, 2, 5, 1, 2, 1, 2});
    check_conv("one_channel", {1, 1, 5, 5, 1, 3, 1, 0, 1, 1});
    check_conv("many_blocks", {4, 16, 16, 16, 16, 3, 1, 1, 1, 16});
    // grouped kernels: the stem, FactorizedReduce's 1x1 stride 2, grouped, a channel multiplier
    // (groups == in_c, out_c = 2 in_c), grouped + dilated + strided, dense with padding only
    check_conv("stem_3x3", {2, 3, 12, 12, 16, 3, 1, 1, 1, 1});
    check_conv("1x1_s2", {2, 16, 9, 9, 24, 1, 2, 0, 1, 1});
    check_conv("grouped_3x3", {2, 8, 9, 7, 12, 3, 1, 1, 1, 4});
    check_conv("multiplier", {2, 4, 8, 8, 8, 3, 1, 1, 1, 4});
    check_conv("grouped_dil_s2", {2, 4, 10, 10, 6, 3, 2, 2, 2, 2});
    check_conv("dense_5x5_on_3x3", {3, 2, 3, 4, 3, 5, 1, 2, 1, 1});
}

}  // namespace

const Family& conv_family() {
    static const Family family{"conv",
                               {"depthwise_forward_kernel", "depthwise_backward_data_kernel",
                                "depthwise_backward_filter_kernel", "grouped_forward_kernel",
                                "grouped_backward_data_kernel", "grouped_backward_filter_kernel"},
                               run};
    return family;
}

}  // namespace check
