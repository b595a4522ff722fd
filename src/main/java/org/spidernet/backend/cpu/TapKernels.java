package org.spidernet.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of the direct convolution and pooling kernels, written with the JDK's vector
 * API ({@code jdk.incubator.vector}, so the JVM needs {@code --add-modules jdk.incubator.vector}).
 * Every loop runs over a contiguous output range with loop-invariant offsets into the input.
 *
 * <p>Why explicit vectors: HotSpot's automatic vectorisation never vectorises a float sum (it
 * may not reorder the additions), so the weight-gradient dot products ran as scalar code, and
 * its element-wise loops load and store the output once per few taps. Here each output vector
 * stays in a register while every tap is added into it, and each dot product keeps one vector
 * of partial sums per tap. Measured on the 2-core AVX-512 EPYC (16 float lanes): four
 * weight-gradient dots 10-11x faster than the scalar loop with sixteen partial sums, a 3x3
 * depthwise plane 3x, four 16-channel pointwise planes 7x faster than four single weighted sums.
 *
 * <p>Inside loops, vector methods are called on freshly loaded vectors and take loop-carried
 * ones as arguments ({@code x.fma(w, acc)}, not {@code acc.add(x)}): with a loop-carried receiver
 * C2 sometimes left the call unintrinsified (seen in a profile: the library's scalar fallback,
 * allocating per call, took 13% of a training step). For the same reason every kernel uses the
 * one species {@link #LANES}: a half-width path for short rows brought a second vector class into
 * play, C2 could no longer bind FloatVector's methods statically, and the whole method fell back
 * to the library's scalar code (a third of a step). Loops are counted ({@code j < limit}), which
 * lets C2 hoist the loads' range checks.
 *
 * <p>Every loop's tail (fewer than one vector of elements) runs the same fused multiply-adds in
 * scalar code. Results differ from a sequential float sum only in rounding order; the kernels are
 * tested against the float64 reference backend.
 */
final class TapKernels {
    /** The widest float vector this CPU has: 16 lanes with AVX-512, 8 with AVX2. */
    static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final int WIDTH = LANES.length();
    /** 0, 1, 2, ... per lane: element indices of a vector, as floats (exact below 2^24). */
    private static final FloatVector LANE_INDEX;

    static {
        float[] index = new float[WIDTH];
        for (int i = 0; i < WIDTH; i++) {
            index[i] = i;
        }
        LANE_INDEX = FloatVector.fromArray(LANES, index, 0);
    }

    private TapKernels() {
    }

    /**
     * {@code len} rounded up to whole vectors. Callers run the loops over this span instead of
     * {@code len} so that no scalar tail runs (on a 7x7 plane the tail was a fifth of the
     * elements); their buffers hold {@link #SLACK} extra elements for it, and the surplus
     * outputs are discarded like the layout's surplus columns.
     */
    static int span(int len) {
        return (len + WIDTH - 1) / WIDTH * WIDTH;
    }

    /** Extra elements a buffer needs so that loops over {@link #span} stay inside it. */
    static final int SLACK = WIDTH;

    /**
     * {@code count} (1 to 4) weighted sums over the same taps: plane k of {@code out} (starting
     * at k * len) gets out[k * len + j] = sum over taps t of w[wBase + k * wStep + t] * in[taps[t] + j],
     * for j in [0, len). Several planes at once load each input vector once for several
     * multiply-adds.
     */
    static void weightedSums(float[] in, int[] taps, float[] w, int wBase, int wStep, int count, float[] out,
                             int len) {
        switch (count) {
            case 1 -> weightedSum1(in, taps, w, wBase, out, 0, len);
            case 2 -> weightedSum2(in, taps, w, wBase, wBase + wStep, out, 0, len);
            case 3 -> {
                weightedSum2(in, taps, w, wBase, wBase + wStep, out, 0, len);
                weightedSum1(in, taps, w, wBase + 2 * wStep, out, 2 * len, len);
            }
            case 4 -> weightedSum4(in, taps, w, wBase, wStep, out, len);
            default -> throw new IllegalArgumentException("1 to 4 planes at a time, got " + count);
        }
    }

    /**
     * Plane at {@code outOffset}: out[outOffset + j] = sum over t of w[wBase + t] * in[taps[t] + j].
     * Four vectors of outputs at a time: each sum over the taps is a chain of dependent
     * multiply-adds, so a single accumulator waits out the full FMA latency at every tap.
     */
    private static void weightedSum1(float[] in, int[] taps, float[] w, int wBase, float[] out, int outOffset,
                                     int len) {
        int n = taps.length;
        int bound = LANES.loopBound(len);
        int j = 0;
        // a counted loop (j < limit) lets C2 hoist the range checks of the loads out of it
        for (int quads = bound & -(4 * WIDTH); j < quads; j += 4 * WIDTH) {
            FloatVector a0 = FloatVector.zero(LANES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int t = 0; t < n; t++) {
                FloatVector wt = FloatVector.broadcast(LANES, w[wBase + t]);
                int o = taps[t] + j;
                a0 = FloatVector.fromArray(LANES, in, o).fma(wt, a0);
                a1 = FloatVector.fromArray(LANES, in, o + WIDTH).fma(wt, a1);
                a2 = FloatVector.fromArray(LANES, in, o + 2 * WIDTH).fma(wt, a2);
                a3 = FloatVector.fromArray(LANES, in, o + 3 * WIDTH).fma(wt, a3);
            }
            a0.intoArray(out, outOffset + j);
            a1.intoArray(out, outOffset + j + WIDTH);
            a2.intoArray(out, outOffset + j + 2 * WIDTH);
            a3.intoArray(out, outOffset + j + 3 * WIDTH);
        }
        for (; j < bound; j += WIDTH) {
            FloatVector acc = FloatVector.zero(LANES);
            for (int t = 0; t < n; t++) {
                acc = FloatVector.fromArray(LANES, in, taps[t] + j).fma(FloatVector.broadcast(LANES, w[wBase + t]), acc);
            }
            acc.intoArray(out, outOffset + j);
        }
        for (; j < len; j++) {
            out[outOffset + j] = tail(in, taps, w, wBase, j);
        }
    }

    /** Two planes, two vectors of outputs each at a time (four independent chains, as above). */
    private static void weightedSum2(float[] in, int[] taps, float[] w, int wBase0, int wBase1, float[] out,
                                     int outOffset, int len) {
        int n = taps.length;
        int bound = LANES.loopBound(len);
        int j = 0;
        for (int pairs = bound & -(2 * WIDTH); j < pairs; j += 2 * WIDTH) {
            FloatVector a0 = FloatVector.zero(LANES);
            FloatVector a1 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            for (int t = 0; t < n; t++) {
                FloatVector wa = FloatVector.broadcast(LANES, w[wBase0 + t]);
                FloatVector wb = FloatVector.broadcast(LANES, w[wBase1 + t]);
                FloatVector x0 = FloatVector.fromArray(LANES, in, taps[t] + j);
                FloatVector x1 = FloatVector.fromArray(LANES, in, taps[t] + j + WIDTH);
                a0 = x0.fma(wa, a0);
                a1 = x1.fma(wa, a1);
                b0 = x0.fma(wb, b0);
                b1 = x1.fma(wb, b1);
            }
            a0.intoArray(out, outOffset + j);
            a1.intoArray(out, outOffset + j + WIDTH);
            b0.intoArray(out, outOffset + len + j);
            b1.intoArray(out, outOffset + len + j + WIDTH);
        }
        for (; j < bound; j += WIDTH) {
            FloatVector a0 = FloatVector.zero(LANES);
            FloatVector a1 = a0;
            for (int t = 0; t < n; t++) {
                FloatVector x = FloatVector.fromArray(LANES, in, taps[t] + j);
                a0 = x.fma(FloatVector.broadcast(LANES, w[wBase0 + t]), a0);
                a1 = x.fma(FloatVector.broadcast(LANES, w[wBase1 + t]), a1);
            }
            a0.intoArray(out, outOffset + j);
            a1.intoArray(out, outOffset + len + j);
        }
        for (; j < len; j++) {
            out[outOffset + j] = tail(in, taps, w, wBase0, j);
            out[outOffset + len + j] = tail(in, taps, w, wBase1, j);
        }
    }

    private static void weightedSum4(float[] in, int[] taps, float[] w, int wBase, int wStep, float[] out, int len) {
        int n = taps.length;
        int w0 = wBase;
        int w1 = wBase + wStep;
        int w2 = wBase + 2 * wStep;
        int w3 = wBase + 3 * wStep;
        int bound = LANES.loopBound(len);
        int j = 0;
        for (; j < bound; j += WIDTH) {
            FloatVector a0 = FloatVector.zero(LANES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int t = 0; t < n; t++) {
                FloatVector x = FloatVector.fromArray(LANES, in, taps[t] + j);
                a0 = x.fma(FloatVector.broadcast(LANES, w[w0 + t]), a0);
                a1 = x.fma(FloatVector.broadcast(LANES, w[w1 + t]), a1);
                a2 = x.fma(FloatVector.broadcast(LANES, w[w2 + t]), a2);
                a3 = x.fma(FloatVector.broadcast(LANES, w[w3 + t]), a3);
            }
            a0.intoArray(out, j);
            a1.intoArray(out, len + j);
            a2.intoArray(out, 2 * len + j);
            a3.intoArray(out, 3 * len + j);
        }
        for (; j < len; j++) {
            out[j] = tail(in, taps, w, w0, j);
            out[len + j] = tail(in, taps, w, w1, j);
            out[2 * len + j] = tail(in, taps, w, w2, j);
            out[3 * len + j] = tail(in, taps, w, w3, j);
        }
    }

    /** One output element of a weighted sum, with the same fused multiply-adds as a vector lane. */
    private static float tail(float[] in, int[] taps, float[] w, int wBase, int j) {
        float s = 0;
        for (int t = 0; t < taps.length; t++) {
            s = Math.fma(in[taps[t] + j], w[wBase + t], s);
        }
        return s;
    }

    /** out[j] = max over taps t of in[taps[t] + j], for j in [0, len) (Math.max per element). */
    static void max(float[] in, int[] taps, float[] out, int len) {
        int n = taps.length;
        int bound = LANES.loopBound(len);
        int j = 0;
        for (; j < bound; j += WIDTH) {
            FloatVector m = FloatVector.fromArray(LANES, in, taps[0] + j);
            for (int t = 1; t < n; t++) {
                m = FloatVector.fromArray(LANES, in, taps[t] + j).max(m);
            }
            m.intoArray(out, j);
        }
        for (; j < len; j++) {
            float m = in[taps[0] + j];
            for (int t = 1; t < n; t++) {
                m = Math.max(m, in[taps[t] + j]);
            }
            out[j] = m;
        }
    }

    /**
     * arg[j] = the index into {@code in} of the first maximum over taps t of in[taps[t] + j]
     * (a later tap replaces the winner only when strictly greater), as a float, for j in
     * [0, len). Compares and blends whole vectors, so there is no data-dependent branch.
     */
    static void argMax(float[] in, int[] taps, float[] arg, int len) {
        int n = taps.length;
        int bound = LANES.loopBound(len);
        int j = 0;
        for (; j < bound; j += WIDTH) {
            FloatVector best = FloatVector.fromArray(LANES, in, taps[0] + j);
            FloatVector at = LANE_INDEX.add((float) (taps[0] + j));
            for (int t = 1; t < n; t++) {
                FloatVector v = FloatVector.fromArray(LANES, in, taps[t] + j);
                VectorMask<Float> greater = v.compare(VectorOperators.GT, best);
                VectorMask<Float> keep = greater.not();
                best = v.blend(best, keep);
                at = LANE_INDEX.add((float) (taps[t] + j)).blend(at, keep);
            }
            at.intoArray(arg, j);
        }
        for (; j < len; j++) {
            int a = taps[0] + j;
            for (int t = 1; t < n; t++) {
                if (in[taps[t] + j] > in[a]) {
                    a = taps[t] + j;
                }
            }
            arg[j] = a;
        }
    }

    /** dst[dstOffset + j] += w * src[j], for j in [0, len): one tap of a transposed convolution. */
    static void scatter(float[] dst, int dstOffset, float w, float[] src, int len) {
        FloatVector wv = FloatVector.broadcast(LANES, w);
        int bound = LANES.loopBound(len);
        int j = 0;
        for (; j < bound; j += WIDTH) {
            FloatVector.fromArray(LANES, src, j).fma(wv, FloatVector.fromArray(LANES, dst, dstOffset + j))
                    .intoArray(dst, dstOffset + j);
        }
        for (; j < len; j++) {
            dst[dstOffset + j] = Math.fma(src[j], w, dst[dstOffset + j]);
        }
    }
}
