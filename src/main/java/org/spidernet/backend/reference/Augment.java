package org.spidernet.backend.reference;

import org.spidernet.backend.AugmentPlan;

/**
 * The definition of {@link org.spidernet.backend.Backend#augment}: crop from the zero-padded raw
 * image, mirror, normalise in float64 and round to float32, then Cutout; one output element at a
 * time, in the order the SPI's formula states.
 */
final class Augment {
    private Augment() {
    }

    /** out [n, c, h, w] row-major; raw the uint8 pixels of the planned samples, same layout. */
    static void apply(byte[] raw, double[] out, int n, int c, int h, int w, AugmentPlan plan) {
        int half = plan.cutout() / 2;
        int p = plan.padding();
        for (int s = 0; s < n; s++) {
            boolean planned = s < plan.samples();
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = ((s * c + ch) * h + y) * w + x;
                        if (!planned) {
                            out[o] = 0;
                            continue;
                        }
                        int sy = y + plan.cropY(s) - p;
                        int sx = (plan.flip(s) ? w - 1 - x : x) + plan.cropX(s) - p;
                        double v = sy >= 0 && sy < h && sx >= 0 && sx < w ? raw[((s * c + ch) * h + sy) * w + sx] & 0xFF : 0;
                        double normalised = (float) ((v / 255.0 - plan.mean(ch)) * plan.scale(ch));
                        int ky = plan.cutoutY(s);
                        int kx = plan.cutoutX(s);
                        boolean cut = ky != AugmentPlan.NO_CUTOUT && y >= ky - half && y < ky + half
                                && x >= kx - half && x < kx + half;
                        out[o] = cut ? 0 : normalised;
                    }
                }
            }
        }
    }
}
