package org.spidernet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

/**
 * The CPU backend against small float64 loops written here, independent of the backend's
 * kernels, on fresh random inputs (the seed is in every failure message). The cases aim at the
 * conventions that are easy to get wrong: the [Cout, Cin/groups, k, k] weight layout
 * (depthwise, grouped, dense), dilation, stride 2 on odd sizes, both backward-data paths
 * (gather for stride 1, scatter otherwise), average pooling's k*k divisor, max pooling's
 * minus-infinity padding and first-maximum ties, and BatchNorm's unbiased running variance.
 * Backward ops are checked to accumulate: gradients start non-zero.
 *
 * <p>Tolerance: |got - want| &lt;= 1e-4 * |want| + 1e-5 * max|want|. float32 has a 6e-8 unit
 * roundoff; sums of up to a few thousand terms lose a few more digits, and that error scales
 * with the magnitude of the terms, hence the second, tensor-wide term. The backend runs with
 * 3 workers so that shares are uneven even on a 2-core machine.
 */
class CpuBackendTest {
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    private static CpuBackend backend;
    private long seed;
    private Random rnd;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(3);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @BeforeEach
    void seed() {
        seed = System.nanoTime();
        rnd = new Random(seed);
    }

    // ---------------------------------------------------------------- helpers

    private double[] gaussian(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian();
        }
        return a;
    }

    /** Values exactly representable in float32, so expected and actual start from the same inputs. */
    private double[] randomFloats(int n) {
        double[] a = gaussian(n);
        for (int i = 0; i < n; i++) {
            a[i] = (float) a[i];
        }
        return a;
    }

    private Tensor upload(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }

    private static int size(int... shape) {
        return (int) Tensor.elementCount(shape);
    }

    private void assertClose(String what, double[] want, double[] got) {
        assertClose(what, want, got, new double[want.length]);
    }

    /** {@link #assertClose(String, double[], double[])} with an error the float32 algorithm allows beyond it, per element. */
    private void assertClose(String what, double[] want, double[] got, double[] allowed) {
        assertEquals(want.length, got.length, what + ": length, seed " + seed);
        double scale = 0;
        for (double v : want) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        assertTrue(scale > 0, what + ": expected values are all zero, the case proves nothing (seed " + seed + ")");
        for (int i = 0; i < want.length; i++) {
            double tol = RTOL * Math.abs(want[i]) + ATOL * scale + allowed[i];
            if (got[i] != want[i] && !(Math.abs(got[i] - want[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + want[i]
                        + " (tolerance " + tol + ", seed " + seed + ")");
            }
        }
    }

    private static double[] plus(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += b[i];
        }
        return c;
    }

    // ---------------------------------------------------------------- convolution

    /** Float64 grouped convolution and its two gradients, the textbook loop nest. */
    private static final class NaiveConv {
        final int n;
        final int cin;
        final int h;
        final int w;
        final int cout;
        final int oh;
        final int ow;
        final ConvGeometry g;

        NaiveConv(int n, int cin, int h, int w, int cout, ConvGeometry g) {
            this.n = n;
            this.cin = cin;
            this.h = h;
            this.w = w;
            this.cout = cout;
            this.g = g;
            this.oh = g.outSize(h);
            this.ow = g.outSize(w);
        }

        /** Calls {@code visit(xIndex, wIndex, yIndex)} for every multiply-add of the forward pass. */
        void forEachTap(TapVisitor visit) {
            int cig = cin / g.groups();
            int cog = cout / g.groups();
            int k = g.kernel();
            for (int b = 0; b < n; b++) {
                for (int co = 0; co < cout; co++) {
                    int grp = co / cog;
                    for (int y = 0; y < oh; y++) {
                        for (int x = 0; x < ow; x++) {
                            for (int ci = 0; ci < cig; ci++) {
                                for (int kh = 0; kh < k; kh++) {
                                    int ih = y * g.stride() - g.padding() + kh * g.dilation();
                                    for (int kw = 0; kw < k; kw++) {
                                        int iw = x * g.stride() - g.padding() + kw * g.dilation();
                                        if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                            continue;
                                        }
                                        visit.tap(((b * cin + grp * cig + ci) * h + ih) * w + iw,
                                                ((co * cig + ci) * k + kh) * k + kw,
                                                ((b * cout + co) * oh + y) * ow + x);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        double[] forward(double[] xs, double[] ws) {
            double[] y = new double[n * cout * oh * ow];
            forEachTap((xi, wi, yi) -> y[yi] += xs[xi] * ws[wi]);
            return y;
        }

        double[] backwardData(double[] dy, double[] ws) {
            double[] dx = new double[n * cin * h * w];
            forEachTap((xi, wi, yi) -> dx[xi] += dy[yi] * ws[wi]);
            return dx;
        }

        double[] backwardFilter(double[] xs, double[] dy) {
            double[] dw = new double[cout * (cin / g.groups()) * g.kernel() * g.kernel()];
            forEachTap((xi, wi, yi) -> dw[wi] += dy[yi] * xs[xi]);
            return dw;
        }
    }

    @FunctionalInterface
    private interface TapVisitor {
        void tap(int x, int w, int y);
    }

    static Stream<Arguments> convolutions() {
        // name, cin, cout, kernel, stride, padding, dilation, groups
        return Stream.of(
                Arguments.of("depthwise 3x3", 4, 4, 3, 1, 1, 1, 4),
                Arguments.of("depthwise 5x5", 4, 4, 5, 1, 2, 1, 4),
                Arguments.of("dilated depthwise 3x3", 4, 4, 3, 1, 2, 2, 4),
                Arguments.of("dilated depthwise 5x5", 4, 4, 5, 1, 4, 2, 4),
                Arguments.of("depthwise 3x3 stride 2", 4, 4, 3, 2, 1, 1, 4),
                Arguments.of("depthwise 5x5 stride 2", 4, 4, 5, 2, 2, 1, 4),
                Arguments.of("dilated depthwise 3x3 stride 2", 4, 4, 3, 2, 2, 2, 4),
                Arguments.of("dilated depthwise 5x5 stride 2", 4, 4, 5, 2, 4, 2, 4),
                Arguments.of("pointwise", 6, 5, 1, 1, 0, 1, 1),
                Arguments.of("pointwise stride 2", 6, 5, 1, 2, 0, 1, 1),
                Arguments.of("pointwise 2->3 (fewer than 4 taps, paired channels)", 2, 3, 1, 1, 0, 1, 1),
                Arguments.of("pointwise 3->4", 3, 4, 1, 1, 0, 1, 1),
                Arguments.of("pointwise 16->24", 16, 24, 1, 1, 0, 1, 1),
                Arguments.of("pointwise 32->16", 32, 16, 1, 1, 0, 1, 1),
                Arguments.of("dense 3x3 (stem)", 3, 5, 3, 1, 1, 1, 1),
                Arguments.of("grouped 3x3", 6, 4, 3, 1, 1, 1, 2),
                Arguments.of("depthwise multiplier 2, 3x3 stride 3", 3, 6, 3, 3, 1, 1, 3),
                Arguments.of("padding beyond the kernel (scatter path at stride 1)", 4, 3, 1, 1, 1, 1, 1),
                Arguments.of("padding beyond the kernel, stride 2 (scatter through stride phases)", 4, 3, 1, 2, 1, 1, 1),
                Arguments.of("dilated 3x3 stride 2 beyond its reach (scatter path)", 2, 2, 3, 2, 3, 1, 2),
                Arguments.of("unpadded 5x5", 4, 4, 5, 1, 0, 1, 4));
    }

    /** Small odd planes (single-threaded path) and a batch large enough to take the parallel path. */
    private static final int[][] CONV_SIZES = {{3, 9, 7}, {8, 15, 14}, {2, 6, 37}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    void convolutionMatchesNaiveLoops(String name, int cin, int cout, int k, int stride, int pad, int dil, int groups) {
        ConvGeometry g = new ConvGeometry(k, stride, pad, dil, groups);
        for (int[] sz : CONV_SIZES) {
            String what = name + " " + Arrays.toString(sz);
            NaiveConv c = new NaiveConv(sz[0], cin, sz[1], sz[2], cout, g);
            int[] xShape = {c.n, cin, c.h, c.w};
            int[] wShape = {cout, cin / groups, k, k};
            int[] yShape = {c.n, cout, c.oh, c.ow};
            double[] x = randomFloats(size(xShape));
            double[] w = randomFloats(size(wShape));
            double[] dy = randomFloats(size(yShape));
            double[] dx0 = randomFloats(size(xShape));
            double[] dw0 = randomFloats(size(wShape));
            try (Tensor xt = upload(x, xShape); Tensor wt = upload(w, wShape); Tensor yt = upload(gaussian(size(yShape)), yShape);
                 Tensor dyt = upload(dy, yShape); Tensor dxt = upload(dx0, xShape); Tensor dwt = upload(dw0, wShape)) {
                backend.conv2d(xt, wt, yt, g);
                assertClose(what + " forward", c.forward(x, w), backend.download(yt));
                backend.conv2dBackwardData(dyt, wt, dxt, g);
                assertClose(what + " backward data", plus(dx0, c.backwardData(dy, w)), backend.download(dxt));
                backend.conv2dBackwardFilter(xt, dyt, dwt, g);
                assertClose(what + " backward filter", plus(dw0, c.backwardFilter(x, dy)), backend.download(dwt));
            }
        }
    }

    @Test
    void convolutionRejectsMismatchedShapesNamingThem() {
        try (Tensor x = backend.allocate(2, 4, 8, 8); Tensor w = backend.allocate(4, 1, 3, 3);
             Tensor y = backend.allocate(2, 4, 7, 8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.conv2d(x, w, y, new ConvGeometry(3, 1, 1, 1, 4)));
            assertTrue(e.getMessage().contains("[2, 4, 7, 8]") && e.getMessage().contains("[2, 4, 8, 8]"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- pooling

    static Stream<Arguments> pools() {
        // kernel, stride, padding, height, width
        return Stream.of(
                Arguments.of(3, 1, 1, 9, 7),
                Arguments.of(3, 2, 1, 9, 7),
                Arguments.of(3, 2, 1, 28, 28),
                Arguments.of(2, 2, 0, 7, 9),
                Arguments.of(3, 2, 0, 7, 7),
                Arguments.of(3, 1, 1, 1, 1));
    }

    @ParameterizedTest(name = "k{0} s{1} p{2} on {3}x{4}")
    @MethodSource("pools")
    void maxPoolPadsWithMinusInfinityAndRoutesTiesToTheFirstMaximum(int k, int stride, int pad, int h, int w) {
        PoolGeometry g = new PoolGeometry(k, stride, pad);
        int n = 5;
        int c = 3;
        int oh = g.outSize(h);
        int ow = g.outSize(w);
        // mostly negative, so zero padding would win most border windows; few distinct values, so
        // windows tie (-0 and +0 tie too); some minus infinity, so some windows hold nothing
        // larger than the padding
        double[] x = new double[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            int v = rnd.nextInt(12);
            x[i] = switch (v) {
                case 0, 1 -> Double.NEGATIVE_INFINITY;
                case 2 -> -0.0;
                case 3 -> 0.0;
                default -> -1 - v % 4;
            };
        }
        // one plane entirely minus infinity: every window must route to its first real element
        Arrays.fill(x, 0, h * w, Double.NEGATIVE_INFINITY);
        double[] dy = randomFloats(n * c * oh * ow);
        double[] dx0 = randomFloats(x.length);
        double[] want = new double[dy.length];
        double[] wantDx = dx0.clone();
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int best = -1;
                    for (int kh = 0; kh < k; kh++) {
                        for (int kw = 0; kw < k; kw++) {
                            int ih = y * stride - pad + kh;
                            int iw = xo * stride - pad + kw;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                int i = (p * h + ih) * w + iw;
                                if (best < 0 || x[i] > x[best]) {
                                    best = i;
                                }
                            }
                        }
                    }
                    int o = (p * oh + y) * ow + xo;
                    want[o] = x[best];
                    wantDx[best] += dy[o];
                }
            }
        }
        try (Tensor xt = upload(x, n, c, h, w); Tensor yt = backend.allocate(n, c, oh, ow);
             Tensor dyt = upload(dy, n, c, oh, ow); Tensor dxt = upload(dx0, n, c, h, w)) {
            backend.maxPool(xt, yt, g);
            assertClose("max pool", want, backend.download(yt));
            backend.maxPoolBackward(xt, dyt, dxt, g);
            assertClose("max pool backward", wantDx, backend.download(dxt));
        }
    }

    @ParameterizedTest(name = "k{0} s{1} p{2} on {3}x{4}")
    @MethodSource("pools")
    void avgPoolAlwaysDividesByKernelArea(int k, int stride, int pad, int h, int w) {
        PoolGeometry g = new PoolGeometry(k, stride, pad);
        int n = 5;
        int c = 3;
        int oh = g.outSize(h);
        int ow = g.outSize(w);
        double[] x = randomFloats(n * c * h * w);
        double[] dy = randomFloats(n * c * oh * ow);
        double[] dx0 = randomFloats(x.length);
        double[] want = new double[dy.length];
        double[] wantDx = dx0.clone();
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int o = (p * oh + y) * ow + xo;
                    for (int kh = 0; kh < k; kh++) {
                        for (int kw = 0; kw < k; kw++) {
                            int ih = y * stride - pad + kh;
                            int iw = xo * stride - pad + kw;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                int i = (p * h + ih) * w + iw;
                                want[o] += x[i] / (k * k);
                                wantDx[i] += dy[o] / (k * k);
                            }
                        }
                    }
                }
            }
        }
        try (Tensor xt = upload(x, n, c, h, w); Tensor yt = backend.allocate(n, c, oh, ow);
             Tensor dyt = upload(dy, n, c, oh, ow); Tensor dxt = upload(dx0, n, c, h, w)) {
            backend.avgPool(xt, yt, g);
            assertClose("avg pool", want, backend.download(yt));
            backend.avgPoolBackward(dyt, dxt, g);
            assertClose("avg pool backward", wantDx, backend.download(dxt));
        }
    }

    @Test
    void avgPoolCornerOfAConstantImageCountsThePaddedZeros() {
        try (Tensor x = backend.allocate(1, 1, 4, 4); Tensor y = backend.allocate(1, 1, 4, 4)) {
            backend.fill(x, 9.0);
            backend.avgPool(x, y, new PoolGeometry(3, 1, 1));
            double[] out = backend.download(y);
            assertEquals(4.0, out[0], 1e-6, "corner window holds 4 of 9 real elements");
            assertEquals(6.0, out[1], 1e-6, "edge window holds 6 of 9 real elements");
            assertEquals(9.0, out[5], 1e-6, "interior window");
        }
    }

    @ParameterizedTest(name = "stride {0} on {1}x{2}")
    @MethodSource("subsamples")
    void subsampleKeepsEveryStrideThElementWithCeilingSizes(int stride, int h, int w) {
        int n = 2;
        int c = 3;
        int oh = (h + stride - 1) / stride;
        int ow = (w + stride - 1) / stride;
        double[] x = randomFloats(n * c * h * w);
        double[] dy = randomFloats(n * c * oh * ow);
        double[] dx0 = randomFloats(x.length);
        double[] want = new double[dy.length];
        double[] wantDx = dx0.clone();
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int i = (p * h + y * stride) * w + xo * stride;
                    want[(p * oh + y) * ow + xo] = x[i];
                    wantDx[i] += dy[(p * oh + y) * ow + xo];
                }
            }
        }
        try (Tensor xt = upload(x, n, c, h, w); Tensor yt = backend.allocate(n, c, oh, ow);
             Tensor dyt = upload(dy, n, c, oh, ow); Tensor dxt = upload(dx0, n, c, h, w)) {
            backend.subsample(xt, yt, stride);
            assertClose("subsample", want, backend.download(yt));
            backend.subsampleBackward(dyt, dxt, stride);
            assertClose("subsample backward", wantDx, backend.download(dxt));
        }
    }

    static Stream<Arguments> subsamples() {
        return Stream.of(Arguments.of(1, 5, 4), Arguments.of(2, 7, 7), Arguments.of(2, 28, 28), Arguments.of(4, 9, 6));
    }

    @Test
    void globalAveragePoolAndItsGradient() {
        int n = 4;
        int c = 5;
        int plane = 7 * 6;
        double[] x = randomFloats(n * c * plane);
        double[] dy = randomFloats(n * c);
        double[] dx0 = randomFloats(x.length);
        double[] want = new double[n * c];
        double[] wantDx = dx0.clone();
        for (int p = 0; p < n * c; p++) {
            for (int s = 0; s < plane; s++) {
                want[p] += x[p * plane + s] / plane;
                wantDx[p * plane + s] += dy[p] / plane;
            }
        }
        try (Tensor xt = upload(x, n, c, 7, 6); Tensor yt = backend.allocate(n, c); Tensor dyt = upload(dy, n, c);
             Tensor dxt = upload(dx0, n, c, 7, 6)) {
            backend.globalAvgPool(xt, yt);
            assertClose("global average", want, backend.download(yt));
            backend.globalAvgPoolBackward(dyt, dxt);
            assertClose("global average backward", wantDx, backend.download(dxt));
        }
    }

    // ---------------------------------------------------------------- batch normalisation

    @Test
    void batchNormTrainUsesBiasedVarianceToNormaliseAndUnbiasedForTheRunningVariance() {
        int n = 6;
        int c = 5;
        int h = 7;
        int w = 5;
        int plane = h * w;
        double count = n * plane;
        double momentum = 0.1;
        double eps = 1e-5;
        double[] x = randomFloats(n * c * plane);
        for (int i = 0; i < x.length; i++) {
            // a large per-channel offset: the variance must come from deviations, not sums of squares
            x[i] = (float) (x[i] * 0.5 + 40 * (1 + (i / plane) % c));
        }
        double[] gamma = randomFloats(c);
        double[] beta = randomFloats(c);
        double[] runMean = randomFloats(c);
        double[] runVar = new double[c];
        for (int i = 0; i < c; i++) {
            runVar[i] = 1 + rnd.nextDouble();
        }
        double[] wantY = new double[x.length];
        double[] wantMean = new double[c];
        double[] wantInv = new double[c];
        double[] wantRunMean = new double[c];
        double[] wantRunVar = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int s = 0; s < plane; s++) {
                    sum += x[(b * c + ch) * plane + s];
                }
            }
            double mean = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int s = 0; s < plane; s++) {
                    double d = x[(b * c + ch) * plane + s] - mean;
                    sq += d * d;
                }
            }
            double inv = 1 / Math.sqrt(sq / count + eps);
            for (int b = 0; b < n; b++) {
                for (int s = 0; s < plane; s++) {
                    int i = (b * c + ch) * plane + s;
                    wantY[i] = gamma[ch] * (x[i] - mean) * inv + beta[ch];
                }
            }
            wantMean[ch] = mean;
            wantInv[ch] = inv;
            wantRunMean[ch] = (1 - momentum) * runMean[ch] + momentum * mean;
            wantRunVar[ch] = (1 - momentum) * runVar[ch] + momentum * sq / (count - 1);
        }
        try (Tensor xt = upload(x, n, c, h, w); Tensor yt = backend.allocate(n, c, h, w);
             Tensor gt = upload(gamma, c); Tensor bt = upload(beta, c); Tensor mt = backend.allocate(c);
             Tensor it = backend.allocate(c); Tensor rmt = upload(runMean, c); Tensor rvt = upload(runVar, c)) {
            backend.batchNormTrain(xt, gt, bt, yt, mt, it, rmt, rvt, momentum, eps);
            // float32 holds the mean (about 40..200 here) to half an ulp, and y = gamma * inv * (x - mean) carries
            // that rounding: at this offset it alone can exceed the relative tolerance (CI, seed 55716886093919)
            double[] meanRounding = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int ch = (i / plane) % c;
                meanRounding[i] = Math.abs(gamma[ch]) * wantInv[ch] * Math.ulp((float) wantMean[ch]);
            }
            assertClose("bn y", wantY, backend.download(yt), meanRounding);
            assertClose("bn saved mean", wantMean, backend.download(mt));
            assertClose("bn saved invStd", wantInv, backend.download(it));
            assertClose("bn running mean", wantRunMean, backend.download(rmt));
            assertClose("bn running variance (unbiased)", wantRunVar, backend.download(rvt));

            // backward through the batch statistics, accumulating into non-zero gradients
            double[] dy = randomFloats(x.length);
            double[] dx0 = randomFloats(x.length);
            double[] dg0 = randomFloats(c);
            double[] db0 = randomFloats(c);
            double[] wantDx = dx0.clone();
            double[] wantDg = dg0.clone();
            double[] wantDb = db0.clone();
            double[] mean = backend.download(mt);
            double[] inv = backend.download(it);
            for (int ch = 0; ch < c; ch++) {
                double sdy = 0;
                double sdyx = 0;
                for (int b = 0; b < n; b++) {
                    for (int s = 0; s < plane; s++) {
                        int i = (b * c + ch) * plane + s;
                        sdy += dy[i];
                        sdyx += dy[i] * (x[i] - mean[ch]) * inv[ch];
                    }
                }
                for (int b = 0; b < n; b++) {
                    for (int s = 0; s < plane; s++) {
                        int i = (b * c + ch) * plane + s;
                        double xhat = (x[i] - mean[ch]) * inv[ch];
                        wantDx[i] += gamma[ch] * inv[ch] / count * (count * dy[i] - sdy - xhat * sdyx);
                    }
                }
                wantDg[ch] += sdyx;
                wantDb[ch] += sdy;
            }
            try (Tensor dyt = upload(dy, n, c, h, w); Tensor dxt = upload(dx0, n, c, h, w); Tensor dgt = upload(dg0, c);
                 Tensor dbt = upload(db0, c)) {
                backend.batchNormBackward(xt, dyt, gt, mt, it, dxt, dgt, dbt);
                assertClose("bn dx", wantDx, backend.download(dxt));
                assertClose("bn dGamma", wantDg, backend.download(dgt));
                assertClose("bn dBeta", wantDb, backend.download(dbt));
            }

            double[] wantEval = new double[x.length];
            double[] rm = backend.download(rmt);
            double[] rv = backend.download(rvt);
            for (int i = 0; i < x.length; i++) {
                int ch = (i / plane) % c;
                wantEval[i] = gamma[ch] * (x[i] - rm[ch]) / Math.sqrt(rv[ch] + eps) + beta[ch];
            }
            backend.batchNormEval(xt, gt, bt, rmt, rvt, yt, eps);
            assertClose("bn eval", wantEval, backend.download(yt));
        }
    }

    // ---------------------------------------------------------------- elementwise, dense head, optimiser

    @Test
    void elementwiseOpsAndReductions() {
        int[] shape = {5, 3, 17, 13};
        int size = size(shape);
        double[] a = randomFloats(size);
        double[] b = randomFloats(size);
        try (Tensor at = upload(a, shape); Tensor bt = upload(b, shape); Tensor ct = backend.allocate(shape)) {
            double dot = 0;
            double[] perSample = new double[5];
            for (int i = 0; i < size; i++) {
                dot += a[i] * b[i];
                perSample[i / (size / 5)] += a[i] * b[i];
            }
            assertClose("dot", new double[] {dot}, new double[] {backend.dot(at, bt)});
            assertClose("dot per sample", perSample, backend.dotPerSample(at, bt));

            double[] factors = randomFloats(2 * 5);
            double[] want = b.clone();
            for (int i = 0; i < size; i++) {
                want[i] += 1.25 * factors[5 + i / (size / 5)] * a[i];
            }
            try (Tensor ft = upload(factors, 2, 5)) {
                backend.scaleAddPerSample(at, ft, 1, 1.25, bt);
            }
            assertClose("scale add per sample", want, backend.download(bt));

            backend.copy(at, ct);
            assertClose("copy", a, backend.download(ct));
            backend.axpy(-0.5, at, ct);
            double[] half = a.clone();
            for (int i = 0; i < size; i++) {
                half[i] *= 0.5;
            }
            assertClose("axpy", half, backend.download(ct));
            backend.fill(ct, 2.5);
            double[] filled = new double[size];
            Arrays.fill(filled, 2.5);
            assertClose("fill", filled, backend.download(ct));

            double[] x = randomFloats(size);
            for (int i = 0; i < size; i += 7) {
                x[i] = 0; // relu'(0) = 0
            }
            double[] relu = new double[size];
            double[] dx0 = randomFloats(size);
            double[] dy = randomFloats(size);
            double[] wantDx = dx0.clone();
            for (int i = 0; i < size; i++) {
                relu[i] = Math.max(x[i], 0);
                if (x[i] > 0) {
                    wantDx[i] += dy[i];
                }
            }
            try (Tensor xt = upload(x, shape); Tensor dyt = upload(dy, shape); Tensor dxt = upload(dx0, shape)) {
                backend.relu(xt, ct);
                assertClose("relu", relu, backend.download(ct));
                backend.reluBackward(xt, dyt, dxt);
                assertClose("relu backward", wantDx, backend.download(dxt));
            }
        }
    }

    @Test
    void rowAddsAreExactForEveryLengthAroundTheVectorWidth() {
        // lengths below, at and between whole vectors (8 or 16 lanes): the overlapping last vector
        Random rng = new Random(System.nanoTime());
        for (int len = 1; len <= 50; len++) {
            float[] src = new float[len + 9];
            float[] dst = new float[len + 5];
            for (int i = 0; i < src.length; i++) {
                src[i] = rng.nextFloat() - 0.5f;
            }
            for (int i = 0; i < dst.length; i++) {
                dst[i] = rng.nextFloat() - 0.5f;
            }
            float[] want = dst.clone();
            for (int j = 0; j < len; j++) {
                want[3 + j] += src[7 + j];
            }
            RowKernels.addInto(src, 7, dst, 3, len);
            for (int i = 0; i < dst.length; i++) {
                assertEquals(want[i], dst[i], 0f, "length " + len + ", element " + i);
            }
        }
    }

    @Test
    void argMaxPicksTheFirstStrictMaximumInVectorsAndTail() {
        // few distinct values, so most windows tie; -0 and +0 must tie as well
        float[] values = {-1f, -0f, 0f, 1f, Float.NEGATIVE_INFINITY};
        int[] taps = {0, 1, 2, 5, 7, 11};
        int len = 3 * 16 + 5; // whole vectors (8 or 16 lanes) and a scalar tail
        float[] in = new float[len + 11];
        Random rng = new Random(System.nanoTime());
        for (int i = 0; i < in.length; i++) {
            in[i] = values[rng.nextInt(values.length)];
        }
        float[] arg = new float[len];
        TapKernels.argMax(in, taps, arg, len);
        for (int j = 0; j < len; j++) {
            int want = taps[0] + j;
            for (int t = 1; t < taps.length; t++) {
                if (in[taps[t] + j] > in[want]) {
                    want = taps[t] + j;
                }
            }
            assertEquals(want, (int) arg[j], "position " + j);
        }
    }

    @Test
    void reluMaskIsExactlyXGreaterThanZero() {
        float[] values = {1f, -1f, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000), Float.MAX_VALUE};
        for (float v : values) {
            assertEquals(v > 0 ? -1 : 0, StreamKernels.positiveMask(v), "mask of " + v);
        }
    }

    @Test
    void linearHeadSoftmaxCrossEntropyAndSgd() {
        int n = 7;
        int k = 11;
        int m = 4;
        double[] x = randomFloats(n * k);
        double[] w = randomFloats(m * k);
        double[] b = randomFloats(m);
        double[] dy = randomFloats(n * m);
        double[] dx0 = randomFloats(n * k);
        double[] dw0 = randomFloats(m * k);
        double[] db0 = randomFloats(m);
        double[] y = new double[n * m];
        double[] wantDx = dx0.clone();
        double[] wantDw = dw0.clone();
        double[] wantDb = db0.clone();
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < m; o++) {
                y[i * m + o] = b[o];
                wantDb[o] += dy[i * m + o];
                for (int j = 0; j < k; j++) {
                    y[i * m + o] += x[i * k + j] * w[o * k + j];
                    wantDx[i * k + j] += dy[i * m + o] * w[o * k + j];
                    wantDw[o * k + j] += dy[i * m + o] * x[i * k + j];
                }
            }
        }
        try (Tensor xt = upload(x, n, k); Tensor wt = upload(w, m, k); Tensor bt = upload(b, m);
             Tensor yt = backend.allocate(n, m); Tensor dyt = upload(dy, n, m); Tensor dxt = upload(dx0, n, k);
             Tensor dwt = upload(dw0, m, k); Tensor dbt = upload(db0, m)) {
            backend.linear(xt, wt, bt, yt);
            assertClose("linear", y, backend.download(yt));
            backend.linearBackward(xt, wt, dyt, dxt, dwt, dbt);
            assertClose("linear dx", wantDx, backend.download(dxt));
            assertClose("linear dw", wantDw, backend.download(dwt));
            assertClose("linear db", wantDb, backend.download(dbt));
            backend.linearBackward(xt, wt, dyt, null, dwt, dbt);
            // a second call with dx == null accumulates again: dw = dw0 + 2 * (wantDw - dw0)
            assertClose("linear dw, twice", minus(plus(wantDw, wantDw), dw0), backend.download(dwt));

            int[] labels = new int[n];
            double[] labelValues = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(m);
                labelValues[i] = labels[i];
            }
            double scale = 0.4;
            double[] g0 = randomFloats(n * m);
            double[] wantG = g0.clone();
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int o = 0; o < m; o++) {
                    max = Math.max(max, y[i * m + o]);
                }
                double sum = 0;
                for (int o = 0; o < m; o++) {
                    sum += Math.exp(y[i * m + o] - max);
                }
                loss += Math.log(sum) - (y[i * m + labels[i]] - max);
                for (int o = 0; o < m; o++) {
                    wantG[i * m + o] += scale * (Math.exp(y[i * m + o] - max) / sum - (o == labels[i] ? 1 : 0)) / n;
                }
            }
            try (Tensor gt = upload(g0, n, m); Tensor lt = upload(labelValues, n); Tensor losst = backend.allocate(1)) {
                backend.softmaxCrossEntropy(yt, lt, gt, losst, scale);
                assertClose("loss", new double[] {scale * loss / n}, backend.download(losst));
                assertClose("dLogits", wantG, backend.download(gt));
            }

            double[] v0 = randomFloats(m * k);
            double[] wantP = w.clone();
            double[] wantV = v0.clone();
            double[] grad = backend.download(dwt);
            for (int i = 0; i < wantP.length; i++) {
                double gi = grad[i] + 3e-4 * w[i];
                wantV[i] = 0.9 * v0[i] + gi;
                wantP[i] -= 0.05 * wantV[i];
            }
            try (Tensor vt = upload(v0, m, k)) {
                backend.sgdMomentum(wt, dwt, vt, 0.05, 0.9, 3e-4);
                assertClose("sgd param", wantP, backend.download(wt));
                assertClose("sgd velocity", wantV, backend.download(vt));
            }
        }
    }

    private static double[] minus(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] -= b[i];
        }
        return c;
    }

    // ---------------------------------------------------------------- storage and provider

    @Test
    void memoryCountsAllocatedTensorsAtFourBytesPerElement() {
        try (CpuBackend b = new CpuBackend(1)) {
            Tensor t1 = b.allocate(2, 3, 4, 5);
            Tensor t2 = b.allocate(10);
            assertEquals(new MemoryStats(4 * 130, 4 * 130, 2), b.memory());
            t1.close();
            t1.close();
            assertEquals(new MemoryStats(40, 4 * 130, 1), b.memory());
            b.resetPeak();
            assertEquals(new MemoryStats(40, 40, 1), b.memory());
            assertThrows(IllegalStateException.class, () -> b.download(t1));
            assertThrows(IllegalArgumentException.class, () -> backend.download(t2), "foreign tensor");
            assertEquals(0.0, b.download(b.allocate(3, 0, 2)).length);
        }
    }

    @Test
    void uploadRejectsAWrongLengthAndRoundTripsFloat32() {
        try (Tensor t = backend.allocate(2, 3)) {
            assertThrows(IllegalArgumentException.class, () -> backend.upload(t, new double[5]));
            backend.upload(t, new float[] {1.5f, -2f, 3f, 0f, 1e-3f, 7f});
            assertEquals(Arrays.toString(new double[] {1.5, -2, 3, 0, (double) 1e-3f, 7}),
                    Arrays.toString(backend.download(t)));
        }
    }

    @Test
    void unavailabilityNamesTheRootCause() {
        Throwable failure = new ExceptionInInitializerError(new RuntimeException("ND4J is probably missing dependencies",
                new UnsatisfiedLinkError("no jnind4jcpu in java.library.path")));
        String detail = Nd4jRuntime.describe(failure);
        assertTrue(detail.contains("UnsatisfiedLinkError: no jnind4jcpu in java.library.path"), detail);
    }

    @Test
    void providerIsFoundAsCpuAndIsUsable() {
        BackendProvider p = Backends.resolve("cpu");
        assertEquals("cpu", p.name());
        assertEquals(10, p.rank());
        Availability a = p.availability();
        assertTrue(a.usable(), a.detail());
        try (Backend b = p.open()) {
            assertEquals("cpu", b.name());
            assertEquals(4, b.bytesPerElement());
        }
    }
}
