package org.spidernet.metrics;

import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;

import java.util.SplittableRandom;

/**
 * Batches of normalised training images with their labels, in seeded random order and without
 * augmentation: the minibatches Jacobian- and gradient-based metrics are computed on.
 */
public final class ImageBatchSampler {
    /** One batch: {@code [n, C, H, W]} normalised pixels and n labels. */
    public record Batch(float[] pixels, int[] labels) {
    }

    private final ImageDataset images;
    private final ChannelStats stats;
    private final ShuffledIndices indices;

    public ImageBatchSampler(ImageDataset images, ChannelStats stats, SplittableRandom random) {
        this.images = images;
        this.stats = stats;
        this.indices = new ShuffledIndices(images.count(), random);
    }

    /** The sampler a metric uses under this context (same context, same batches). */
    public static ImageBatchSampler of(ScoringContext ctx) {
        return new ImageBatchSampler(ctx.images(), ctx.stats(), ctx.dataRandom());
    }

    public Batch next(int n) {
        int[] idx = indices.next(n);
        float[] px = new float[n * images.imageSize()];
        images.normalizeInto(idx, stats, px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = images.label(idx[i]);
        }
        return new Batch(px, labels);
    }
}
