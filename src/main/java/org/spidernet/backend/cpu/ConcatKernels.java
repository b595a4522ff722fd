package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import org.spidernet.backend.ConcatShapes;

/**
 * Channel concatenation over NCHW float32 tensors. Block j of each sample of the concatenated
 * tensor is one contiguous run of channels(j) * H * W elements, so the forward pass is one bulk
 * native-to-native copy per sample and input, with no arithmetic; the backward pass streams the run
 * through chunks to add it into the gradient. Samples are split over the workers.
 */
final class ConcatKernels {
    /** Elements per chunk of the backward pass: two chunks fit comfortably in a 32 KiB L1 data cache. */
    private static final int CHUNK = 2048;
    /** Below this many elements a call runs on the calling thread alone. */
    private static final long PARALLEL_SIZE = 1L << 15;

    private ConcatKernels() {
    }

    /** y's channel block j = x. */
    static void forwardBlock(WorkerPool pool, ConcatShapes e, int j, FloatBuffer x, FloatBuffer y) {
        int run = e.channels(j) * e.plane();
        int sample = e.totalChannels() * e.plane();
        int at = e.offset(j) * e.plane();
        pool.forRange(e.batch(), (long) e.batch() * run >= PARALLEL_SIZE, (worker, from, to) -> {
            for (int n = from; n < to; n++) {
                y.put(n * sample + at, x, n * run, run);
            }
        });
    }

    /** dx += dy's channel block j. */
    static void backwardBlock(WorkerPool pool, ConcatShapes e, int j, FloatBuffer dy, FloatBuffer dx) {
        int run = e.channels(j) * e.plane();
        int sample = e.totalChannels() * e.plane();
        int at = e.offset(j) * e.plane();
        pool.forRange(e.batch(), (long) e.batch() * run >= PARALLEL_SIZE, (worker, from, to) -> {
            Scratch s = pool.scratch(worker);
            float[] dys = s.floats(Scratch.IN, CHUNK);
            float[] dxs = s.floats(Scratch.GRAD, CHUNK);
            for (int n = from; n < to; n++) {
                for (int i = 0; i < run; i += CHUNK) {
                    int len = Math.min(CHUNK, run - i);
                    dy.get(n * sample + at + i, dys, 0, len);
                    dx.get(n * run + i, dxs, 0, len);
                    for (int k = 0; k < len; k++) {
                        dxs[k] += dys[k];
                    }
                    dx.put(n * run + i, dxs, 0, len);
                }
            }
        });
    }
}
