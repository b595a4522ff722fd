package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;

/**
 * Grouped 2-D convolution (dense, depthwise and everything between) computed directly, one
 * (sample, group) pair at a time: the group's input planes are loaded into a {@link PlaneLayout}
 * that fits in cache, and each output plane is a weighted sum of shifted copies of them
 * ({@link TapKernels#weightedSums}). Work is spread over samples and groups.
 *
 * <p>Why not ND4J's own ops: on [64,16,28,28] with a 5x5 depthwise kernel, libnd4j's
 * {@code depthwise_conv2d} / {@code depthwise_conv2d_bp} took 190-320 ms / 400-750 ms per call
 * on two cores (im2col into a 25x larger buffer, then many thin matrix products), and
 * {@code conv2d_bp} for a 1x1 16-&gt;16 convolution about 23 ms; these loops take a few
 * milliseconds for the same work. {@code CpuOpTiming} reproduces the comparison. (The forward
 * and backward results of those libnd4j ops were correct, with weights passed as
 * [Cout, Cin/groups, k, k] through wFormat 1; only their speed ruled them out.)
 *
 * <p>Also used for average pooling, which is a depthwise convolution with constant weights.
 */
final class DirectConvolution {
    /** Below this many multiply-adds a call runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1L << 16;
    /** Output planes computed together from one loaded input (see {@link TapKernels#weightedSums}). */
    private static final int BLOCK = 4;

    private DirectConvolution() {
    }

    /**
     * y = conv(x, w); w is [Cout][Cin/groups][k][k] as a flat array. A strided convolution is
     * computed as the stride-1 one over the frame rows it needs and every stride-th output kept:
     * s^2 times the arithmetic (only depthwise convolutions and pooling are strided in this
     * search space), but contiguous reads; laying the input out in stride phases instead was an
     * element-by-element copy that cost more than the depthwise arithmetic it saved.
     */
    static void forward(WorkerPool pool, ConvExtents d, FloatBuffer x, float[] w, FloatBuffer y) {
        ConvGeometry g = d.g();
        int groups = g.groups();
        int cig = d.groupInChannels();
        int cog = d.groupOutChannels();
        PlaneLayout in = new PlaneLayout(d.inH(), d.inW(), g.padding(), 1);
        int[] taps = in.taps(cig, g.kernel(), g.dilation());
        int inSize = in.bufferSize(cig, (g.kernel() - 1) * g.dilation());
        int span = TapKernels.span(ConvFrame.rows(d) * in.phaseCols);
        int inPlane = d.inH() * d.inW();
        int outPlane = d.outH() * d.outW();
        pool.forRange(d.batch() * groups, d.multiplyAdds() >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] q = s.floats(Scratch.IN, inSize);
            float[] out = s.floats(Scratch.OUT, BLOCK * span);
            float[] source = s.floats(Scratch.SOURCE, inPlane);
            float[] plane = s.floats(Scratch.PLANE, outPlane);
            for (int item = from; item < to; item++) {
                int n = item / groups;
                int grp = item % groups;
                in.load(x, (n * d.inChannels() + grp * cig) * inPlane, cig, 0f, inSize, q, source);
                int end = (grp + 1) * cog;
                for (int co = grp * cog; co < end; co += BLOCK) {
                    int count = Math.min(BLOCK, end - co);
                    TapKernels.weightedSums(q, taps, w, co * taps.length, taps.length, count, out, span);
                    for (int k = 0; k < count; k++) {
                        storeRows(out, k * span, in.phaseCols, g.stride(), y, (n * d.outChannels() + co + k) * outPlane,
                                d.outH(), d.outW(), plane);
                    }
                }
            }
        });
    }

    /**
     * dx += the gradient of {@link #forward} with respect to x. This is itself a convolution of
     * dy, spread over the stride-1 frame (zeros between strided outputs) and padded by
     * (k-1)*d - pad, with the flipped, transposed kernel, computed with the fast gather kernel;
     * only when the padding exceeds the kernel's reach is each tap of dy scattered back through
     * the forward layout instead (the exact adjoint of the forward loop).
     */
    static void backwardData(WorkerPool pool, ConvExtents d, FloatBuffer dy, float[] w, float[] flipped,
                             FloatBuffer dx) {
        ConvGeometry g = d.g();
        int flippedPad = (g.kernel() - 1) * g.dilation() - g.padding();
        if (flippedPad >= 0) {
            backwardDataGather(pool, d, dy, flip(d, w, flipped), flippedPad, dx);
        } else {
            backwardDataScatter(pool, d, dy, w, dx);
        }
    }

    /** The weights as [Cin][Cout/groups][k][k], spatially reversed: the kernel of the transposed convolution. */
    private static float[] flip(ConvExtents d, float[] w, float[] flipped) {
        int k = d.kernel();
        int kk = d.taps();
        int cig = d.groupInChannels();
        int cog = d.groupOutChannels();
        for (int grp = 0; grp < d.g().groups(); grp++) {
            for (int co = 0; co < cog; co++) {
                for (int ci = 0; ci < cig; ci++) {
                    int src = ((grp * cog + co) * cig + ci) * kk;
                    int dst = ((grp * cig + ci) * cog + co) * kk;
                    for (int t = 0; t < kk; t++) {
                        int kh = t / k;
                        int kw = t % k;
                        flipped[dst + (k - 1 - kh) * k + (k - 1 - kw)] = w[src + t];
                    }
                }
            }
        }
        return flipped;
    }

    private static void backwardDataGather(WorkerPool pool, ConvExtents d, FloatBuffer dy, float[] wt, int flippedPad,
                                           FloatBuffer dx) {
        ConvGeometry g = d.g();
        int groups = g.groups();
        int cig = d.groupInChannels();
        int cog = d.groupOutChannels();
        // the layout of dy spread over the stride-1 frame; its "outputs" are the d.inH() x d.inW() input positions
        PlaneLayout grad = new PlaneLayout(ConvFrame.height(d), ConvFrame.width(d), flippedPad, 1);
        int[] taps = grad.taps(cog, g.kernel(), g.dilation());
        int gradSize = grad.bufferSize(cog, (g.kernel() - 1) * g.dilation());
        int span = TapKernels.span(d.inH() * grad.phaseCols);
        int inPlane = d.inH() * d.inW();
        int outPlane = d.outH() * d.outW();
        pool.forRange(d.batch() * groups, d.multiplyAdds() >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] q = s.floats(Scratch.IN, gradSize);
            float[] out = s.floats(Scratch.OUT, BLOCK * span);
            float[] source = s.floats(Scratch.SOURCE, outPlane);
            float[] plane = s.floats(Scratch.PLANE, inPlane);
            for (int item = from; item < to; item++) {
                int n = item / groups;
                int grp = item % groups;
                int dyIndex = (n * d.outChannels() + grp * cog) * outPlane;
                if (g.stride() == 1) {
                    grad.load(dy, dyIndex, cog, 0f, gradSize, q, source);
                } else {
                    grad.loadSpread(dy, dyIndex, cog, d.outH(), d.outW(), g.stride(), gradSize, q, source);
                }
                int end = (grp + 1) * cig;
                for (int ci = grp * cig; ci < end; ci += BLOCK) {
                    int count = Math.min(BLOCK, end - ci);
                    TapKernels.weightedSums(q, taps, wt, ci * taps.length, taps.length, count, out, span);
                    for (int k = 0; k < count; k++) {
                        addRows(out, k * span, grad.phaseCols, dx, (n * d.inChannels() + ci + k) * inPlane, d.inH(),
                                d.inW(), plane);
                    }
                }
            }
        });
    }

    private static void backwardDataScatter(WorkerPool pool, ConvExtents d, FloatBuffer dy, float[] w,
                                            FloatBuffer dx) {
        ConvGeometry g = d.g();
        int groups = g.groups();
        int cig = d.groupInChannels();
        int cog = d.groupOutChannels();
        PlaneLayout in = new PlaneLayout(d.inH(), d.inW(), g.padding(), g.stride());
        int[] taps = in.taps(cig, g.kernel(), g.dilation());
        int inSize = in.bufferSize(cig, (g.kernel() - 1) * g.dilation());
        int span = TapKernels.span(d.outH() * in.phaseCols);
        int inPlane = d.inH() * d.inW();
        int outPlane = d.outH() * d.outW();
        pool.forRange(d.batch() * groups, d.multiplyAdds() >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] dq = s.floats(Scratch.IN, inSize);
            float[] dyRows = s.floats(Scratch.GRAD, span);
            float[] plane = s.floats(Scratch.PLANE, inPlane);
            float[] stage = s.floats(Scratch.OUT, outPlane);
            for (int item = from; item < to; item++) {
                int n = item / groups;
                int grp = item % groups;
                Arrays.fill(dq, 0, inSize, 0f);
                for (int co = grp * cog; co < (grp + 1) * cog; co++) {
                    loadRows(dy, (n * d.outChannels() + co) * outPlane, d.outH(), d.outW(), in.phaseCols, 1,
                            span, dyRows, stage);
                    int wBase = co * taps.length;
                    for (int t = 0; t < taps.length; t++) {
                        TapKernels.scatter(dq, taps[t], w[wBase + t], dyRows, span);
                    }
                }
                in.addTo(dq, cig, dx, (n * d.inChannels() + grp * cig) * inPlane, plane);
            }
        });
    }

    /**
     * dw += the gradient of {@link #forward} with respect to w: each weight's gradient is the dot
     * product of an output-gradient plane with the matching shifted input plane. Each worker
     * sums into its own float64 partials; the caller adds them up and into {@code dw}.
     */
    static void backwardFilter(WorkerPool pool, ConvExtents d, FloatBuffer x, FloatBuffer dy, FloatBuffer dw) {
        ConvGeometry g = d.g();
        int groups = g.groups();
        int cig = d.groupInChannels();
        int cog = d.groupOutChannels();
        PlaneLayout in = new PlaneLayout(d.inH(), d.inW(), g.padding(), 1);
        int[] taps = in.taps(cig, g.kernel(), g.dilation());
        int inSize = in.bufferSize(cig, (g.kernel() - 1) * g.dilation());
        int span = TapKernels.span(ConvFrame.rows(d) * in.phaseCols);
        int inPlane = d.inH() * d.inW();
        int outPlane = d.outH() * d.outW();
        int weights = d.outChannels() * taps.length;
        int shares = pool.forRange(d.batch() * groups, d.multiplyAdds() >= PARALLEL_WORK, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] q = s.floats(Scratch.IN, inSize);
            float[] dyRows = s.floats(Scratch.GRAD, span);
            float[] source = s.floats(Scratch.SOURCE, inPlane);
            float[] stage = s.floats(Scratch.OUT, outPlane);
            double[] acc = s.doubles(weights);
            Arrays.fill(acc, 0, weights, 0.0);
            for (int item = from; item < to; item++) {
                int n = item / groups;
                int grp = item % groups;
                in.load(x, (n * d.inChannels() + grp * cig) * inPlane, cig, 0f, inSize, q, source);
                for (int co = grp * cog; co < (grp + 1) * cog; co++) {
                    // dy spread over the stride-1 frame, zeros in the surplus columns, so they add nothing
                    loadRows(dy, (n * d.outChannels() + co) * outPlane, d.outH(), d.outW(), in.phaseCols,
                            g.stride(), span, dyRows, stage);
                    int wBase = co * taps.length;
                    int t = 0;
                    for (; t + 4 <= taps.length; t += 4) {
                        RowKernels.dot4(dyRows, q, taps[t], taps[t + 1], taps[t + 2], taps[t + 3], span, acc, wBase + t);
                    }
                    for (; t < taps.length; t++) {
                        acc[wBase + t] += RowKernels.dot(dyRows, q, taps[t], span);
                    }
                }
            }
        });
        float[] total = pool.scratch(0).floats(Scratch.WEIGHTS_T, weights);
        dw.get(0, total, 0, weights);
        for (int i = 0; i < weights; i++) {
            double sum = 0;
            for (int worker = 0; worker < shares; worker++) {
                sum += pool.scratch(worker).doubles(weights)[i];
            }
            total[i] += (float) sum;
        }
        dw.put(0, total, 0, weights);
    }

    /**
     * Copies every {@code step}-th element of every {@code step}-th row of width-{@code pitch}
     * rows in {@code out} (starting at {@code from}) to the rows x cols plane at dst[dstIndex],
     * through {@code plane} so the buffer sees one bulk write.
     */
    static void storeRows(float[] out, int from, int pitch, int step, FloatBuffer dst, int dstIndex, int rows, int cols,
                          float[] plane) {
        if (step == 1 && pitch == cols) {
            dst.put(dstIndex, out, from, rows * cols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int o = from + r * step * pitch;
            if (step == 1) {
                System.arraycopy(out, o, plane, r * cols, cols);
            } else {
                for (int c = 0; c < cols; c++) {
                    plane[r * cols + c] = out[o + c * step];
                }
            }
        }
        dst.put(dstIndex, plane, 0, rows * cols);
    }

    /** Adds rows of width {@code cols} from {@code out} (starting at {@code from}, row pitch {@code pitch}) into dst. */
    static void addRows(float[] out, int from, int pitch, FloatBuffer dst, int dstIndex, int rows, int cols,
                        float[] plane) {
        int size = rows * cols;
        dst.get(dstIndex, plane, 0, size);
        for (int r = 0; r < rows; r++) {
            RowKernels.addInto(out, from + r * pitch, plane, r * cols, cols);
        }
        dst.put(dstIndex, plane, 0, size);
    }

    /**
     * Loads a rows x cols plane (read in one bulk copy into {@code stage}) into rows of pitch
     * {@code pitch}, element (r, c) going to (r * step, c * step); every other position up to
     * {@code span} is zero, so it adds nothing.
     */
    static void loadRows(FloatBuffer src, int srcIndex, int rows, int cols, int pitch, int step, int span, float[] dst,
                         float[] stage) {
        if (step == 1 && pitch == cols) {
            src.get(srcIndex, dst, 0, rows * cols);
            Arrays.fill(dst, rows * cols, span, 0f);
            return;
        }
        src.get(srcIndex, stage, 0, rows * cols);
        if (step == 1) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(stage, r * cols, dst, r * pitch, cols);
                Arrays.fill(dst, r * pitch + cols, (r + 1) * pitch, 0f);
            }
            Arrays.fill(dst, rows * pitch, span, 0f);
            return;
        }
        Arrays.fill(dst, 0, span, 0f);
        PlaneLayout.spread(stage, rows, cols, step, dst, 0, pitch);
    }
}
