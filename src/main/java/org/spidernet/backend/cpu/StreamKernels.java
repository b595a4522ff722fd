package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Elementwise loops and reductions: those ND4J has no single fused op for (accumulating ReLU
 * backward, per-sample scaling, SGD with momentum), those where float64 accumulation matters
 * (dot products feed gate gradients and must not lose digits over a million terms), and fill and
 * ReLU, whose ND4J ops took about 8 ms instead of 0.1 ms on [64,16,28,28] whenever the two cores
 * were shared with other processes, where these loops took 0.2 to 0.4 ms. Tensors
 * are streamed through cache-sized chunks copied out of and back into native memory, so the
 * arithmetic runs on Java arrays, which HotSpot vectorises; large tensors are split over the
 * workers.
 */
final class StreamKernels {
    /** Elements per chunk: three chunks fit comfortably in a 32 KiB L1 data cache. */
    private static final int CHUNK = 2048;
    /** Below this many elements a call runs on the calling thread alone. */
    private static final int PARALLEL_SIZE = 1 << 15;

    private StreamKernels() {
    }

    /** Sum over i in [from, to) of a[i] * b[i], accumulated chunk by chunk in float64. */
    private static double dotRange(FloatBuffer a, FloatBuffer b, int from, int to, Scratch s) {
        float[] as = s.floats(Scratch.IN, CHUNK);
        float[] bs = s.floats(Scratch.GRAD, CHUNK);
        double sum = 0;
        for (int at = from; at < to; at += CHUNK) {
            int len = Math.min(CHUNK, to - at);
            a.get(at, as, 0, len);
            b.get(at, bs, 0, len);
            sum += RowKernels.dot(as, bs, 0, len);
        }
        return sum;
    }

    static double dot(WorkerPool pool, FloatBuffer a, FloatBuffer b, int size) {
        double[] partial = new double[pool.workers()];
        int chunks = (size + CHUNK - 1) / CHUNK;
        pool.forRange(chunks, size >= PARALLEL_SIZE, (worker, from, to) -> partial[worker] =
                dotRange(a, b, from * CHUNK, Math.min(size, to * CHUNK), pool.scratch(worker)));
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return sum;
    }

    static double[] dotPerSample(WorkerPool pool, FloatBuffer a, FloatBuffer b, int samples, int perSample) {
        double[] out = new double[samples];
        pool.forRange(samples, (long) samples * perSample >= PARALLEL_SIZE, (worker, from, to) -> {
            for (int n = from; n < to; n++) {
                out[n] = dotRange(a, b, n * perSample, (n + 1) * perSample, pool.scratch(worker));
            }
        });
        return out;
    }

    /** y[n, ...] += scale[n] * x[n, ...]. */
    static void scaleAddPerSample(WorkerPool pool, FloatBuffer x, double[] scale, FloatBuffer y, int samples,
                                  int perSample) {
        pool.forRange(samples, (long) samples * perSample >= PARALLEL_SIZE, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] xs = s.floats(Scratch.IN, CHUNK);
            float[] ys = s.floats(Scratch.GRAD, CHUNK);
            for (int n = from; n < to; n++) {
                float f = (float) scale[n];
                int end = (n + 1) * perSample;
                for (int at = n * perSample; at < end; at += CHUNK) {
                    int len = Math.min(CHUNK, end - at);
                    x.get(at, xs, 0, len);
                    y.get(at, ys, 0, len);
                    for (int i = 0; i < len; i++) {
                        ys[i] += f * xs[i];
                    }
                    y.put(at, ys, 0, len);
                }
            }
        });
    }

    /**
     * y[n, ...] += scale[j][n] * xs[j][n, ...] for j = 0, 1, ... in order: each element gets the
     * ops' float32 products and sums in the same order as one {@link #scaleAddPerSample} per op, so
     * the result is the same bits, while y's chunk is read and written once for all ops.
     */
    static void gatedSum(WorkerPool pool, FloatBuffer[] xs, double[][] scale, FloatBuffer y, int samples,
                         int perSample) {
        int ops = xs.length;
        pool.forRange(samples, (long) samples * perSample >= PARALLEL_SIZE, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] xc = s.floats(Scratch.IN, CHUNK);
            float[] yc = s.floats(Scratch.GRAD, CHUNK);
            float[] f = new float[ops];
            for (int n = from; n < to; n++) {
                for (int j = 0; j < ops; j++) {
                    f[j] = (float) scale[j][n];
                }
                int end = (n + 1) * perSample;
                for (int at = n * perSample; at < end; at += CHUNK) {
                    int len = Math.min(CHUNK, end - at);
                    y.get(at, yc, 0, len);
                    for (int j = 0; j < ops; j++) {
                        float fj = f[j];
                        xs[j].get(at, xc, 0, len);
                        for (int i = 0; i < len; i++) {
                            yc[i] += fj * xc[i];
                        }
                    }
                    y.put(at, yc, 0, len);
                }
            }
        });
    }

    /** t[:] = value. */
    static void fill(WorkerPool pool, FloatBuffer t, float value, int size) {
        int chunks = (size + CHUNK - 1) / CHUNK;
        pool.forRange(chunks, size >= PARALLEL_SIZE, (worker, from, to) -> {
            float[] values = pool.scratch(worker).floats(Scratch.IN, CHUNK);
            Arrays.fill(values, 0, CHUNK, value);
            for (int c = from; c < to; c++) {
                int at = c * CHUNK;
                t.put(at, values, 0, Math.min(CHUNK, size - at));
            }
        });
    }

    /** y = max(x, 0); x and y may be the same tensor. */
    static void relu(WorkerPool pool, FloatBuffer x, FloatBuffer y, int size) {
        int chunks = (size + CHUNK - 1) / CHUNK;
        pool.forRange(chunks, size >= PARALLEL_SIZE, (worker, from, to) -> {
            float[] xs = pool.scratch(worker).floats(Scratch.IN, CHUNK);
            for (int c = from; c < to; c++) {
                int at = c * CHUNK;
                int len = Math.min(CHUNK, size - at);
                x.get(at, xs, 0, len);
                for (int i = 0; i < len; i++) {
                    // Math.max, not a comparison: it vectorises, and maps -0 and NaN as max(x, 0) does
                    xs[i] = Math.max(xs[i], 0f);
                }
                y.put(at, xs, 0, len);
            }
        });
    }

    /** dx += dy where x > 0. */
    static void reluBackward(WorkerPool pool, FloatBuffer x, FloatBuffer dy, FloatBuffer dx, int size) {
        int chunks = (size + CHUNK - 1) / CHUNK;
        pool.forRange(chunks, size >= PARALLEL_SIZE, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] xs = s.floats(Scratch.IN, CHUNK);
            float[] dys = s.floats(Scratch.GRAD, CHUNK);
            float[] dxs = s.floats(Scratch.PLANE, CHUNK);
            for (int c = from; c < to; c++) {
                int at = c * CHUNK;
                int len = Math.min(CHUNK, size - at);
                x.get(at, xs, 0, len);
                dy.get(at, dys, 0, len);
                dx.get(at, dxs, 0, len);
                for (int i = 0; i < len; i++) {
                    dxs[i] += Float.intBitsToFloat(Float.floatToRawIntBits(dys[i]) & positiveMask(xs[i]));
                }
                dx.put(at, dxs, 0, len);
            }
        });
    }

    /**
     * All ones when v &gt; 0 (positive, non-zero, not NaN), else zero. Branch-free: the sign of a
     * ReLU input is random, so a branch per element mispredicts about half the time, which
     * measured over ten times slower than this bit arithmetic.
     */
    static int positiveMask(float v) {
        int bits = Float.floatToRawIntBits(v);
        // -bits < 0 iff bits > 0 (apart from MIN_VALUE, excluded by ~bits); bits - 0x7f800001 < 0 excludes NaN
        return ((-bits) & ~bits & (bits - 0x7f800001)) >> 31;
    }

    /**
     * PyTorch's SGD with momentum and L2 weight decay, in one pass:
     * g = grad + weightDecay * param; velocity = momentum * velocity + g; param -= lr * velocity.
     */
    static void sgdMomentum(WorkerPool pool, FloatBuffer param, FloatBuffer grad, FloatBuffer velocity, int size,
                            double lr, double momentum, double weightDecay) {
        float rate = (float) lr;
        float mom = (float) momentum;
        float decay = (float) weightDecay;
        int chunks = (size + CHUNK - 1) / CHUNK;
        pool.forRange(chunks, size >= PARALLEL_SIZE, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] ps = s.floats(Scratch.IN, CHUNK);
            float[] gs = s.floats(Scratch.GRAD, CHUNK);
            float[] vs = s.floats(Scratch.PLANE, CHUNK);
            for (int c = from; c < to; c++) {
                int at = c * CHUNK;
                int len = Math.min(CHUNK, size - at);
                param.get(at, ps, 0, len);
                grad.get(at, gs, 0, len);
                velocity.get(at, vs, 0, len);
                for (int i = 0; i < len; i++) {
                    float v = mom * vs[i] + (gs[i] + decay * ps[i]);
                    vs[i] = v;
                    ps[i] -= rate * v;
                }
                velocity.put(at, vs, 0, len);
                param.put(at, ps, 0, len);
            }
        });
    }
}
