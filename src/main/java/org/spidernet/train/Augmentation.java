package org.spidernet.train;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;

import java.util.Random;

/**
 * The host half of the standard CIFAR-style augmentation: gathers a minibatch's raw pixels and
 * draws what happens to each image, as an {@link AugmentPlan} that
 * {@link org.spidernet.backend.Backend#augment} carries out on the backend. The augmentation is a
 * random crop after zero-padding the raw image by {@code padding} pixels (the padded pixels are
 * black before normalisation), horizontal flip with probability 1/2, and Cutout (a square of side
 * {@code cutout} centred anywhere in the image, clipped at the border, set to 0 after
 * normalisation) with probability {@code cutoutProb}. Per image the draws are, in this order: crop
 * row, crop column, flip, Cutout yes/no, Cutout row, Cutout column (each only when enabled), so
 * a seed gives the same batches it gave when the pixel work was done here.
 */
public final class Augmentation {
    private final ImageDataset data;
    private final ChannelStats stats;
    private final int padding;
    private final boolean flip;
    private final int cutout;
    private final double cutoutProb;

    public Augmentation(ImageDataset data, ChannelStats stats, int padding, boolean flip, int cutout, double cutoutProb) {
        if (stats.channels() != data.channels()) {
            throw new IllegalArgumentException("stats have " + stats.channels() + " channels, images have "
                    + data.channels());
        }
        this.data = data;
        this.stats = stats;
        this.padding = padding;
        this.flip = flip;
        this.cutout = cutout;
        this.cutoutProb = cutoutProb;
    }

    /** No augmentation: the normalised images, for evaluation. */
    public static Augmentation none(ImageDataset data, ChannelStats stats) {
        return new Augmentation(data, stats, 0, false, 0, 0);
    }

    /**
     * Copies the pixels of images {@code indices} into {@code raw} (image after image, CHW, from
     * index 0; it must hold at least {@code indices.length} images) and returns the plan for those
     * images, drawn from {@code rng} (unused, may be null, when nothing is random). Slots of the
     * batch past {@code indices.length} (a padded last batch) come out as zeros.
     */
    public AugmentPlan draw(int[] indices, Random rng, byte[] raw) {
        int size = data.imageSize();
        if ((long) indices.length * size > raw.length) {
            throw new IllegalArgumentException("raw holds " + raw.length + " bytes, " + indices.length
                    + " images need " + (long) indices.length * size);
        }
        int n = indices.length;
        int[] cropY = new int[n];
        int[] cropX = new int[n];
        boolean[] mirror = new boolean[n];
        int[] cutoutY = new int[n];
        int[] cutoutX = new int[n];
        for (int i = 0; i < n; i++) {
            data.copyImage(indices[i], raw, i * size);
            cropY[i] = padding > 0 ? rng.nextInt(2 * padding + 1) : 0;
            cropX[i] = padding > 0 ? rng.nextInt(2 * padding + 1) : 0;
            mirror[i] = flip && rng.nextBoolean();
            if (cutout > 0 && rng.nextDouble() < cutoutProb) {
                cutoutY[i] = rng.nextInt(data.height());
                cutoutX[i] = rng.nextInt(data.width());
            } else {
                cutoutY[i] = AugmentPlan.NO_CUTOUT;
                cutoutX[i] = AugmentPlan.NO_CUTOUT;
            }
        }
        return new AugmentPlan(padding, cutout, stats.mean(), stats.std(), cropY, cropX, mirror, cutoutY, cutoutX);
    }
}
