package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.spidernet.backend.AugmentPlan;

/**
 * {@link org.spidernet.backend.Backend#augment} into a float32 buffer: one (sample, channel) plane
 * at a time, cropped / mirrored / normalised from the host pixels into a plane array and copied
 * into native memory; planes are split over the workers. Each channel's 256 possible values are
 * computed once per call by the SPI's formula (float64, rounded once), so the result equals the
 * reference backend's bit for bit.
 */
final class AugmentKernel {
    /** Below this many output elements a call runs on the calling thread alone. */
    private static final int PARALLEL_SIZE = 1 << 15;

    private AugmentKernel() {
    }

    static void apply(WorkerPool pool, byte[] raw, FloatBuffer out, int n, int c, int h, int w, AugmentPlan plan) {
        int plane = h * w;
        float[][] table = new float[c][256];
        for (int ch = 0; ch < c; ch++) {
            for (int v = 0; v < 256; v++) {
                table[ch][v] = (float) ((v / 255.0 - plan.mean(ch)) * plan.scale(ch));
            }
        }
        pool.forRange(n * c, (long) n * c * plane >= PARALLEL_SIZE, (worker, from, to) -> {
            float[] dst = pool.scratch(worker).floats(Scratch.OUT, plane);
            for (int sc = from; sc < to; sc++) {
                int sample = sc / c;
                if (sample >= plan.samples()) {
                    Arrays.fill(dst, 0, plane, 0f);
                } else {
                    augmentPlane(raw, sc * plane, dst, h, w, sample, plan, table[sc % c]);
                }
                out.put(sc * plane, dst, 0, plane);
            }
        });
    }

    /** One plane: raw[from ..] is the source plane, table the channel's normalised levels. */
    private static void augmentPlane(byte[] raw, int from, float[] dst, int h, int w, int sample, AugmentPlan plan,
                                     float[] table) {
        float black = table[0];
        int p = plan.padding();
        int dy = plan.cropY(sample) - p;
        int dx = plan.cropX(sample) - p;
        boolean mirror = plan.flip(sample);
        for (int y = 0; y < h; y++) {
            int sy = y + dy;
            boolean rowInside = sy >= 0 && sy < h;
            for (int x = 0; x < w; x++) {
                int sx = (mirror ? w - 1 - x : x) + dx;
                dst[y * w + x] = rowInside && sx >= 0 && sx < w ? table[raw[from + sy * w + sx] & 0xFF] : black;
            }
        }
        int ky = plan.cutoutY(sample);
        if (ky == AugmentPlan.NO_CUTOUT) {
            return;
        }
        int kx = plan.cutoutX(sample);
        int half = plan.cutout() / 2;
        int y1 = Math.min(h, ky + half);
        int x0 = Math.max(0, kx - half);
        int x1 = Math.min(w, kx + half);
        for (int y = Math.max(0, ky - half); y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                dst[y * w + x] = 0f;
            }
        }
    }
}
