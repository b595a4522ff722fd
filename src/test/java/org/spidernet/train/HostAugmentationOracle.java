package org.spidernet.train;

import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;

import java.util.Random;

/**
 * The host augmentation as it was before the pixel work moved behind
 * {@link org.spidernet.backend.Backend#augment}, kept verbatim as the oracle the new path must match
 * bit for bit. Built normalised minibatches on the host, with the standard CIFAR-style augmentation: random
 * crop after zero-padding the raw image by {@code padding} pixels (the padded pixels are black
 * before normalisation), horizontal flip with probability 1/2, and Cutout (a square of side
 * {@code cutout} centred anywhere in the image, clipped at the border, set to 0 after
 * normalisation) with probability {@code cutoutProb}.
 */
final class HostAugmentationOracle {
    private final ImageDataset data;
    private final float[][] table;
    private final int padding;
    private final boolean flip;
    private final int cutout;
    private final double cutoutProb;

    HostAugmentationOracle(ImageDataset data, ChannelStats stats, int padding, boolean flip, int cutout, double cutoutProb) {
        this.data = data;
        this.padding = padding;
        this.flip = flip;
        this.cutout = cutout;
        this.cutoutProb = cutoutProb;
        this.table = new float[data.channels()][256];
        for (int c = 0; c < data.channels(); c++) {
            double scale = stats.std(c) > 0 ? 1.0 / stats.std(c) : 1.0;
            for (int v = 0; v < 256; v++) {
                table[c][v] = (float) ((v / 255.0 - stats.mean(c)) * scale);
            }
        }
    }

    static HostAugmentationOracle none(ImageDataset data, ChannelStats stats) {
        return new HostAugmentationOracle(data, stats, 0, false, 0, 0);
    }

    /**
     * Writes images {@code indices} into {@code dest} ([n, C, H, W]). Slots past
     * {@code indices.length} (a padded last batch) are filled with zeros.
     */
    void assemble(int[] indices, Random rng, float[] dest) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = c * h * w;
        byte[] img = new byte[size];
        for (int i = 0; i < indices.length; i++) {
            data.copyImage(indices[i], img, 0);
            int dy = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
            int dx = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
            boolean mirror = flip && rng.nextBoolean();
            int base = i * size;
            for (int ch = 0; ch < c; ch++) {
                float[] t = table[ch];
                float black = t[0];
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++) {
                        int sx0 = mirror ? w - 1 - x : x;
                        int sx = sx0 + dx;
                        float v = sy < 0 || sy >= h || sx < 0 || sx >= w ? black
                                : t[img[(ch * h + sy) * w + sx] & 0xFF];
                        dest[base + (ch * h + y) * w + x] = v;
                    }
                }
            }
            if (cutout > 0 && rng.nextDouble() < cutoutProb) {
                int cy = rng.nextInt(h);
                int cx = rng.nextInt(w);
                int y0 = Math.max(0, cy - cutout / 2);
                int y1 = Math.min(h, cy + cutout / 2);
                int x0 = Math.max(0, cx - cutout / 2);
                int x1 = Math.min(w, cx + cutout / 2);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            dest[base + (ch * h + y) * w + x] = 0f;
                        }
                    }
                }
            }
        }
        java.util.Arrays.fill(dest, indices.length * size, dest.length, 0f);
    }
}
