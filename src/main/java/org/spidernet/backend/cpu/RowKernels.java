package org.spidernet.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loops over contiguous rows: dot products and sums in vectors of partial sums, row adds,
 * and the batch-norm passes over one plane. Written like {@link TapKernels} (its notes on the
 * vector API apply here: one species, loop-carried vectors passed as arguments, counted loops,
 * scalar tails with the same fused multiply-adds); split from it because these loops read rows,
 * not taps.
 */
final class RowKernels {
    private static final VectorSpecies<Float> LANES = TapKernels.LANES;
    private static final int WIDTH = LANES.length();

    private RowKernels() {
    }

    /**
     * Sum of a[j] * b[bOffset + j] for j in [0, len): two vectors of partial sums (32 with
     * AVX-512), which also keeps the rounding error growth far below a sequential sum's.
     */
    static float dot(float[] a, float[] b, int bOffset, int len) {
        return dot(a, 0, b, bOffset, len);
    }

    /** Sum of a[aOffset + j] * b[bOffset + j] for j in [0, len), as {@link #dot(float[], float[], int, int)}. */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int len) {
        FloatVector s0 = FloatVector.zero(LANES);
        FloatVector s1 = s0;
        int j = 0;
        for (int pairs = len & -(2 * WIDTH); j < pairs; j += 2 * WIDTH) {
            s0 = FloatVector.fromArray(LANES, a, aOffset + j).fma(FloatVector.fromArray(LANES, b, bOffset + j), s0);
            s1 = FloatVector.fromArray(LANES, a, aOffset + j + WIDTH)
                    .fma(FloatVector.fromArray(LANES, b, bOffset + j + WIDTH), s1);
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            s = Math.fma(a[aOffset + j], b[bOffset + j], s);
        }
        return s;
    }

    /**
     * acc[at + i] += sum over j of a[j] * b[o_i + j] for the four taps o0..o3: four weight
     * gradients of one output plane in one pass, each a[j] vector loaded once for four products,
     * one vector of partial sums per tap.
     */
    static void dot4(float[] a, float[] b, int o0, int o1, int o2, int o3, int len, double[] acc, int at) {
        // two vectors of a per iteration: eight independent chains keep both FMA units busy
        FloatVector s0 = FloatVector.zero(LANES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector u0 = s0;
        FloatVector u1 = s0;
        FloatVector u2 = s0;
        FloatVector u3 = s0;
        int bound = LANES.loopBound(len);
        int j = 0;
        for (int pairs = bound & -(2 * WIDTH); j < pairs; j += 2 * WIDTH) {
            FloatVector x = FloatVector.fromArray(LANES, a, j);
            FloatVector y = FloatVector.fromArray(LANES, a, j + WIDTH);
            s0 = x.fma(FloatVector.fromArray(LANES, b, o0 + j), s0);
            s1 = x.fma(FloatVector.fromArray(LANES, b, o1 + j), s1);
            s2 = x.fma(FloatVector.fromArray(LANES, b, o2 + j), s2);
            s3 = x.fma(FloatVector.fromArray(LANES, b, o3 + j), s3);
            u0 = y.fma(FloatVector.fromArray(LANES, b, o0 + j + WIDTH), u0);
            u1 = y.fma(FloatVector.fromArray(LANES, b, o1 + j + WIDTH), u1);
            u2 = y.fma(FloatVector.fromArray(LANES, b, o2 + j + WIDTH), u2);
            u3 = y.fma(FloatVector.fromArray(LANES, b, o3 + j + WIDTH), u3);
        }
        for (; j < bound; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(LANES, a, j);
            s0 = x.fma(FloatVector.fromArray(LANES, b, o0 + j), s0);
            s1 = x.fma(FloatVector.fromArray(LANES, b, o1 + j), s1);
            s2 = x.fma(FloatVector.fromArray(LANES, b, o2 + j), s2);
            s3 = x.fma(FloatVector.fromArray(LANES, b, o3 + j), s3);
        }
        float p0 = s0.add(u0).reduceLanes(VectorOperators.ADD);
        float p1 = s1.add(u1).reduceLanes(VectorOperators.ADD);
        float p2 = s2.add(u2).reduceLanes(VectorOperators.ADD);
        float p3 = s3.add(u3).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            float x = a[j];
            p0 = Math.fma(x, b[o0 + j], p0);
            p1 = Math.fma(x, b[o1 + j], p1);
            p2 = Math.fma(x, b[o2 + j], p2);
            p3 = Math.fma(x, b[o3 + j], p3);
        }
        acc[at] += p0;
        acc[at + 1] += p1;
        acc[at + 2] += p2;
        acc[at + 3] += p3;
    }

    /**
     * dst[dstOffset + j] += src[srcOffset + j] for j in [0, len), for the short rows of a plane
     * (7 to 32 elements): whole vectors plus one overlapping vector for the remainder, not a
     * scalar tail, which took most of the time on 28-wide rows (a masked vector tail measured
     * 3-5x slower than scalar code on this JDK).
     */
    static void addInto(float[] src, int srcOffset, float[] dst, int dstOffset, int len) {
        if (len >= WIDTH) {
            // the last whole vector ending at len, computed before anything is written: where it
            // overlaps the loop's last vector both hold dst + src of the same original values
            FloatVector last = FloatVector.fromArray(LANES, src, srcOffset + len - WIDTH)
                    .add(FloatVector.fromArray(LANES, dst, dstOffset + len - WIDTH));
            int bound = LANES.loopBound(len);
            for (int j = 0; j < bound; j += WIDTH) {
                FloatVector.fromArray(LANES, src, srcOffset + j).add(FloatVector.fromArray(LANES, dst, dstOffset + j))
                        .intoArray(dst, dstOffset + j);
            }
            last.intoArray(dst, dstOffset + len - WIDTH);
        } else {
            for (int j = 0; j < len; j++) {
                dst[dstOffset + j] += src[srcOffset + j];
            }
        }
    }

    /**
     * BatchNorm backward's first pass over one plane, fused: x[offset + j] -= mean in place, and
     * sums[0] = sum of dy, sums[1] = sum of dy * (x - mean) over j in [0, len) (float32 partial
     * sums in vectors, as {@link #dot}).
     */
    static void centreAndCorrelate(float[] x, float[] dy, int offset, int len, float mean, float[] sums) {
        FloatVector m = FloatVector.broadcast(LANES, mean);
        FloatVector sdy = FloatVector.zero(LANES);
        FloatVector sdyx = sdy;
        int j = 0;
        for (int bound = LANES.loopBound(len); j < bound; j += WIDTH) {
            FloatVector centred = FloatVector.fromArray(LANES, x, offset + j).sub(m);
            centred.intoArray(x, offset + j);
            FloatVector g = FloatVector.fromArray(LANES, dy, offset + j);
            sdy = g.add(sdy);
            sdyx = g.fma(centred, sdyx);
        }
        float s0 = sdy.reduceLanes(VectorOperators.ADD);
        float s1 = sdyx.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            float centred = x[offset + j] - mean;
            x[offset + j] = centred;
            s0 += dy[offset + j];
            s1 = Math.fma(dy[offset + j], centred, s1);
        }
        sums[0] = s0;
        sums[1] = s1;
    }

    /**
     * dx[j] += a * dy[offset + j] - b - centred[offset + j] * k for j in [0, len): BatchNorm
     * backward's input gradient for one plane, given the centred input.
     */
    static void batchNormInputGradient(float[] dy, float[] centred, int offset, float a, float b, float k, float[] dx,
                                       int len) {
        FloatVector av = FloatVector.broadcast(LANES, a);
        FloatVector bv = FloatVector.broadcast(LANES, b);
        FloatVector kv = FloatVector.broadcast(LANES, k);
        int j = 0;
        for (int bound = LANES.loopBound(len); j < bound; j += WIDTH) {
            FloatVector g = FloatVector.fromArray(LANES, dy, offset + j).mul(av).sub(bv);
            FloatVector.fromArray(LANES, centred, offset + j).mul(kv).neg().add(g)
                    .add(FloatVector.fromArray(LANES, dx, j)).intoArray(dx, j);
        }
        for (; j < len; j++) {
            dx[j] += a * dy[offset + j] - b - centred[offset + j] * k;
        }
    }

    /** Sum of (a[offset + j] - mean)^2 for j in [0, len), in vectors of partial sums. */
    static float sumSquaredDeviations(float[] a, int offset, int len, float mean) {
        FloatVector m = FloatVector.broadcast(LANES, mean);
        FloatVector s0 = FloatVector.zero(LANES);
        FloatVector s1 = s0;
        int j = 0;
        for (int pairs = len & -(2 * WIDTH); j < pairs; j += 2 * WIDTH) {
            FloatVector d0 = FloatVector.fromArray(LANES, a, offset + j).sub(m);
            FloatVector d1 = FloatVector.fromArray(LANES, a, offset + j + WIDTH).sub(m);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            float d = a[offset + j] - mean;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    /** Sum of a[j] for j in [0, len), in two vectors of partial sums like {@link #dot}. */
    static float sum(float[] a, int len) {
        return sum(a, 0, len);
    }

    /** Sum of a[offset + j] for j in [0, len), as {@link #sum(float[], int)}. */
    static float sum(float[] a, int offset, int len) {
        FloatVector s0 = FloatVector.zero(LANES);
        FloatVector s1 = s0;
        int j = 0;
        for (int pairs = len & -(2 * WIDTH); j < pairs; j += 2 * WIDTH) {
            s0 = FloatVector.fromArray(LANES, a, offset + j).add(s0);
            s1 = FloatVector.fromArray(LANES, a, offset + j + WIDTH).add(s1);
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            s += a[offset + j];
        }
        return s;
    }
}
