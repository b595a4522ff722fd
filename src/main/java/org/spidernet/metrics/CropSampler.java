package org.spidernet.metrics;

import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;

import java.util.SplittableRandom;

/**
 * Linear-region inputs as TE-NAS makes them: a random 3x3 crop without padding of a normalised
 * training image, of one randomly chosen channel. Images come in shuffled order (one per crop);
 * the crop offset and the channel are uniform.
 */
public final class CropSampler {
    /** Side of a crop. */
    public static final int SIZE = 3;

    private final ImageDataset images;
    private final ChannelStats stats;
    private final SplittableRandom random;
    private final ShuffledIndices indices;

    public CropSampler(ImageDataset images, ChannelStats stats, SplittableRandom random) {
        if (images.height() < SIZE || images.width() < SIZE) {
            throw new IllegalArgumentException("images of " + images.height() + "x" + images.width()
                    + " are smaller than a " + SIZE + "x" + SIZE + " crop");
        }
        this.images = images;
        this.stats = stats;
        this.random = random;
        this.indices = new ShuffledIndices(images.count(), random);
    }

    /** The sampler a metric uses under this context (same context, same crops). */
    public static CropSampler of(ScoringContext ctx) {
        return new CropSampler(ctx.images(), ctx.stats(), ctx.dataRandom());
    }

    /** {@code n} crops as {@code [n, 1, 3, 3]}, row-major. */
    public double[] next(int n) {
        double[] out = new double[n * SIZE * SIZE];
        int o = 0;
        for (int k = 0; k < n; k++) {
            int image = indices.next();
            int c = random.nextInt(images.channels());
            int y0 = random.nextInt(images.height() - SIZE + 1);
            int x0 = random.nextInt(images.width() - SIZE + 1);
            // the same formula as ImageDataset.normalizeInto, including its rule for a constant channel
            double mean = stats.mean(c);
            double scale = stats.std(c) > 0 ? 1.0 / stats.std(c) : 1.0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    out[o++] = (images.pixel(image, c, y0 + y, x0 + x) / 255.0 - mean) * scale;
                }
            }
        }
        return out;
    }
}
