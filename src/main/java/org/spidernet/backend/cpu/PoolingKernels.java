package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.PoolExtents;
import org.spidernet.graph.ir.PoolGeometry;

/**
 * Max and average pooling over NCHW planes.
 *
 * <p>Average pooling always divides by kernel*kernel (padded zeros count), which makes it
 * exactly a depthwise convolution with constant weights 1/k^2, so it runs on
 * {@link DirectConvolution}. Max pooling loads padding as minus infinity. Its backward pass finds
 * each window's winner again, scanning in row-major order and replacing only on a strictly
 * greater value, so ties go to the first maximum and padding never wins.
 *
 * <p>ND4J's {@code avgpool2d} / {@code maxpool2d} (and their {@code _bp}) were not used: the
 * divisor and tie rules are spelled out here instead of depending on libnd4j's
 * {@code extraParam0} conventions, and these loops were faster on the sizes measured.
 */
final class PoolingKernels {
    private static final long PARALLEL_WORK = 1L << 16;

    private PoolingKernels() {
    }

    /** The depthwise convolution that average pooling over {@code channels} channels is. */
    static ConvExtents averageAsConvolution(PoolExtents e) {
        PoolGeometry g = e.g();
        return new ConvExtents(e.batch(), e.channels(), e.inH(), e.inW(), e.channels(), e.outH(), e.outW(),
                new ConvGeometry(g.kernel(), g.stride(), g.padding(), 1, e.channels()));
    }

    /** The constant 1/k^2 weights of {@link #averageAsConvolution}, written into {@code w}. */
    static float[] averageWeights(int channels, PoolGeometry g, float[] w) {
        int size = channels * g.kernel() * g.kernel();
        Arrays.fill(w, 0, size, (float) (1.0 / (g.kernel() * g.kernel())));
        return w;
    }

    /** y = max over each window of x; x holds {@code planes} planes of height x width. */
    static void maxForward(WorkerPool pool, int planes, int height, int width, int outHeight, int outWidth,
                           PoolGeometry g, FloatBuffer x, FloatBuffer y) {
        // the stride-1 frame, every stride-th window kept (see DirectConvolution.forward)
        PlaneLayout in = new PlaneLayout(height, width, g.padding(), 1);
        int[] taps = in.taps(1, g.kernel(), 1);
        int inSize = in.bufferSize(1, g.kernel() - 1);
        int span = TapKernels.span(ConvFrame.rows(outHeight, g.stride()) * in.phaseCols);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        long work = (long) planes * outPlane * taps.length;
        pool.forRange(planes, work >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] q = s.floats(Scratch.IN, inSize);
            float[] out = s.floats(Scratch.OUT, span);
            float[] plane = s.floats(Scratch.PLANE, outPlane);
            float[] source = s.floats(Scratch.SOURCE, inPlane);
            for (int p = from; p < to; p++) {
                in.load(x, p * inPlane, 1, Float.NEGATIVE_INFINITY, inSize, q, source);
                TapKernels.max(q, taps, out, span);
                DirectConvolution.storeRows(out, 0, in.phaseCols, g.stride(), y, p * outPlane, outHeight, outWidth, plane);
            }
        });
    }

    /**
     * dx += dy routed to the first maximum of each window, found again from x: the window is
     * scanned in row-major tap order, replacing the winner only on a strictly greater value, so
     * ties go to the first maximum. The scan runs in the padded layout, where padding is minus
     * infinity and so never replaces a real element; a window whose real elements are all minus
     * infinity is routed explicitly to its first real element, as the row-major rule says.
     *
     * <p>The winner's position depends on the data, so a compare-and-branch per tap mispredicts
     * constantly (measured: 15 ms on random input against 4.5 ms on sorted input for
     * [64,16,28,28]); {@link TapKernels#argMax} compares and blends whole vectors instead, and
     * only the routing of dy (windows overlap, so two outputs may share a winner) is scalar.
     */
    static void maxBackward(WorkerPool pool, int planes, int height, int width, int outHeight, int outWidth,
                            PoolGeometry g, FloatBuffer x, FloatBuffer dy, FloatBuffer dx) {
        int k = g.kernel();
        PlaneLayout in = new PlaneLayout(height, width, g.padding(), 1);
        int[] taps = in.taps(1, k, 1);
        int inSize = in.bufferSize(1, k - 1);
        int span = TapKernels.span(ConvFrame.rows(outHeight, g.stride()) * in.phaseCols);
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        long work = (long) planes * outPlane * taps.length;
        pool.forRange(planes, work >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] q = s.floats(Scratch.IN, inSize);
            float[] dq = s.floats(Scratch.GRAD, inSize);
            float[] dys = s.floats(Scratch.OUT, outPlane);
            float[] source = s.floats(Scratch.SOURCE, inPlane);
            float[] plane = s.floats(Scratch.PLANE, inPlane);
            float[] arg = s.floats(Scratch.ARG, span);
            for (int p = from; p < to; p++) {
                in.load(x, p * inPlane, 1, Float.NEGATIVE_INFINITY, inSize, q, source);
                TapKernels.argMax(q, taps, arg, span);
                dy.get(p * outPlane, dys, 0, outPlane);
                Arrays.fill(dq, 0, inSize, 0f);
                for (int oh = 0; oh < outHeight; oh++) {
                    for (int ow = 0; ow < outWidth; ow++) {
                        int j = oh * g.stride() * in.phaseCols + ow * g.stride();
                        int winner = (int) arg[j];
                        if (q[winner] == Float.NEGATIVE_INFINITY) {
                            winner = firstRealTap(oh, ow, g, taps) + j;
                        }
                        dq[winner] += dys[oh * outWidth + ow];
                    }
                }
                in.addTo(dq, 1, dx, p * inPlane, plane);
            }
        });
    }

    /** The tap index (row-major) of the first window element inside the plane. */
    private static int firstRealTap(int oh, int ow, PoolGeometry g, int[] taps) {
        int kh = Math.max(0, g.padding() - oh * g.stride());
        int kw = Math.max(0, g.padding() - ow * g.stride());
        return taps[kh * g.kernel() + kw];
    }

    /**
     * y = x[:, :, offset::stride, offset::stride] with ceil(H / stride) x ceil(W / stride) planes; an
     * output whose input row or column is past the edge (offset > 0) is 0.
     */
    static void subsample(WorkerPool pool, int planes, int height, int width, int outHeight, int outWidth, int stride,
                          int offset, FloatBuffer x, FloatBuffer y) {
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        pool.forRange(planes, (long) planes * inPlane >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] xs = s.floats(Scratch.IN, inPlane);
            float[] ys = s.floats(Scratch.OUT, outPlane);
            for (int p = from; p < to; p++) {
                x.get(p * inPlane, xs, 0, inPlane);
                for (int oh = 0; oh < outHeight; oh++) {
                    int ih = oh * stride + offset;
                    for (int ow = 0; ow < outWidth; ow++) {
                        int iw = ow * stride + offset;
                        ys[oh * outWidth + ow] = ih < height && iw < width ? xs[ih * width + iw] : 0f;
                    }
                }
                y.put(p * outPlane, ys, 0, outPlane);
            }
        });
    }

    /** dx[:, :, offset::stride, offset::stride] += dy; outputs that read past the edge give nothing. */
    static void subsampleBackward(WorkerPool pool, int planes, int height, int width, int outHeight, int outWidth,
                                  int stride, int offset, FloatBuffer dy, FloatBuffer dx) {
        int inPlane = height * width;
        int outPlane = outHeight * outWidth;
        pool.forRange(planes, (long) planes * inPlane >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] dxs = s.floats(Scratch.PLANE, inPlane);
            float[] dys = s.floats(Scratch.GRAD, outPlane);
            for (int p = from; p < to; p++) {
                dx.get(p * inPlane, dxs, 0, inPlane);
                dy.get(p * outPlane, dys, 0, outPlane);
                for (int oh = 0; oh < outHeight; oh++) {
                    int ih = oh * stride + offset;
                    for (int ow = 0; ow < outWidth; ow++) {
                        int iw = ow * stride + offset;
                        if (ih < height && iw < width) {
                            dxs[ih * width + iw] += dys[oh * outWidth + ow];
                        }
                    }
                }
                dx.put(p * inPlane, dxs, 0, inPlane);
            }
        });
    }

    /** y[p] = mean of plane p, for {@code planes} planes of {@code plane} elements. */
    static void globalAverage(WorkerPool pool, int planes, int plane, FloatBuffer x, FloatBuffer y) {
        float[] means = new float[planes];
        pool.forRange(planes, (long) planes * plane >= PARALLEL_WORK, (worker, from, to) -> {
            float[] xs = pool.scratch(worker).floats(Scratch.IN, plane);
            for (int p = from; p < to; p++) {
                x.get(p * plane, xs, 0, plane);
                means[p] = (float) ((double) RowKernels.sum(xs, plane) / plane);
            }
        });
        y.put(0, means, 0, planes);
    }

    /** dx[p, :] += dy[p] / plane. */
    static void globalAverageBackward(WorkerPool pool, int planes, int plane, FloatBuffer dy, FloatBuffer dx) {
        float[] shares = new float[planes];
        dy.get(0, shares, 0, planes);
        pool.forRange(planes, (long) planes * plane >= PARALLEL_WORK, (worker, from, to) -> {
            float[] dxs = pool.scratch(worker).floats(Scratch.PLANE, plane);
            for (int p = from; p < to; p++) {
                float share = (float) ((double) shares[p] / plane);
                dx.get(p * plane, dxs, 0, plane);
                for (int i = 0; i < plane; i++) {
                    dxs[i] += share;
                }
                dx.put(p * plane, dxs, 0, plane);
            }
        });
    }
}
