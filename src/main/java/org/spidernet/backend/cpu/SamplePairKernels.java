package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;

/**
 * The train-free metrics' N x N reductions over x [N, D]: the sign-agreement (Hamming) kernel and
 * the float64 Gram matrix. Both visit each unordered pair once (the matrices are symmetric) and
 * split the rows over the workers in mirrored pairs (row r with row n-1-r), so every share gets
 * about the same number of pairs. Deterministic: the summation order depends only on the shapes.
 */
final class SamplePairKernels {
    /** Positions per staged block of the Gram matrix: n rows of it stay in cache while every pair is formed. */
    private static final int BLOCK = 1024;
    /** Below this many pair-positions (n^2 D / 2) a call runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1L << 18;

    private SamplePairKernels() {
    }

    /**
     * k[i, j] += #{d : (x[i,d] > 0) == (x[j,d] > 0)}. Each row becomes a packed code, 64 sign bits
     * per long (the padding bits of the last word are 0 in every row, so they never differ), and
     * a pair's agreement is D minus the popcount of the XOR of the two codes.
     */
    static void signAgreement(WorkerPool pool, FloatBuffer x, int n, int d, FloatBuffer k) {
        int words = (d + 63) / 64;
        long[] codes = new long[n * words];
        boolean parallel = (long) n * n * d / 2 >= PARALLEL_WORK;
        pool.forRange(n, parallel, (worker, from, to) -> {
            float[] row = pool.scratch(worker).floats(Scratch.SOURCE, d);
            for (int i = from; i < to; i++) {
                x.get(i * d, row, 0, d);
                int base = i * words;
                for (int t = 0; t < d; t++) {
                    if (row[t] > 0) {
                        codes[base + (t >>> 6)] |= 1L << (t & 63);
                    }
                }
            }
        });
        float[] out = new float[n * n];
        k.get(0, out, 0, n * n);
        pool.forRange((n + 1) / 2, parallel, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                agreementRow(codes, words, d, r, n, out);
                if (n - 1 - r != r) {
                    agreementRow(codes, words, d, n - 1 - r, n, out);
                }
            }
        });
        k.put(0, out, 0, n * n);
    }

    /** Row i against rows 0..i: adds into out[i, j] and out[j, i] (only this row's owner writes them). */
    private static void agreementRow(long[] codes, int words, int d, int i, int n, float[] out) {
        int a = i * words;
        for (int j = 0; j <= i; j++) {
            int b = j * words;
            long differ = 0;
            for (int w = 0; w < words; w++) {
                differ += Long.bitCount(codes[a + w] ^ codes[b + w]);
            }
            // counts and their float32 sums are exact below 2^24, the contract's stated range
            float agree = (float) (d - differ);
            out[i * n + j] += agree;
            if (j != i) {
                out[j * n + i] += agree;
            }
        }
    }

    /**
     * G[i, j] = sum over d of a[i,d] * a[j,d], every product and sum in float64. The positions go
     * in blocks of {@link #BLOCK}: the block of all n rows is staged once, then every pair's partial
     * dot product over it is added to its float64 accumulator.
     */
    static double[] gram(WorkerPool pool, FloatBuffer a, int n, int d) {
        double[] g = new double[n * n];
        if (n == 0 || d == 0) {
            return g;
        }
        int block = Math.min(BLOCK, d);
        float[] staged = new float[n * block];
        boolean parallel = (long) n * n * d / 2 >= PARALLEL_WORK;
        for (int at = 0; at < d; at += block) {
            int len = Math.min(block, d - at);
            for (int i = 0; i < n; i++) {
                a.get(i * d + at, staged, i * block, len);
            }
            pool.forRange((n + 1) / 2, parallel, (worker, from, to) -> {
                for (int r = from; r < to; r++) {
                    gramRow(staged, block, len, r, n, g);
                    if (n - 1 - r != r) {
                        gramRow(staged, block, len, n - 1 - r, n, g);
                    }
                }
            });
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                g[j * n + i] = g[i * n + j];
            }
        }
        return g;
    }

    /** Adds row i's partial dot products with rows 0..i over one staged block into g[i, 0..i]. */
    private static void gramRow(float[] staged, int stride, int len, int i, int n, double[] g) {
        int a = i * stride;
        for (int j = 0; j <= i; j++) {
            int b = j * stride;
            // four independent float64 chains the JIT can pipeline, combined in a fixed order
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int t = 0;
            for (; t + 3 < len; t += 4) {
                s0 += (double) staged[a + t] * staged[b + t];
                s1 += (double) staged[a + t + 1] * staged[b + t + 1];
                s2 += (double) staged[a + t + 2] * staged[b + t + 2];
                s3 += (double) staged[a + t + 3] * staged[b + t + 3];
            }
            for (; t < len; t++) {
                s0 += (double) staged[a + t] * staged[b + t];
            }
            g[i * n + j] += (s0 + s1) + (s2 + s3);
        }
    }
}
