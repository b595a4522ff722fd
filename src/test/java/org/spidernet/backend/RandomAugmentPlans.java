package org.spidernet.backend;

import java.util.Random;

/**
 * Fresh random inputs for {@link Backend#augment} tests: raw images of pixel values 1..255 (no
 * zeros, so padding and Cutout show) and plans with random crops, flips, Cutout centres (about a
 * quarter of the samples without) and normalisation statistics.
 */
public final class RandomAugmentPlans {
    private RandomAugmentPlans() {
    }

    public static byte[] rawPixels(Random random, int count) {
        byte[] raw = new byte[count];
        for (int i = 0; i < count; i++) {
            raw[i] = (byte) (1 + random.nextInt(255));
        }
        return raw;
    }

    /** A plan for {@code samples} images of {@code channels} x h x w. */
    public static AugmentPlan plan(Random random, int samples, int channels, int h, int w, int padding, int cutout) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.2 + 0.5 * random.nextDouble();
            std[c] = 0.05 + 0.4 * random.nextDouble();
        }
        int[] cropY = new int[samples];
        int[] cropX = new int[samples];
        boolean[] flip = new boolean[samples];
        int[] cutY = new int[samples];
        int[] cutX = new int[samples];
        for (int n = 0; n < samples; n++) {
            cropY[n] = random.nextInt(2 * padding + 1);
            cropX[n] = random.nextInt(2 * padding + 1);
            flip[n] = random.nextBoolean();
            boolean cut = random.nextInt(4) != 0;
            cutY[n] = cut ? random.nextInt(h) : AugmentPlan.NO_CUTOUT;
            cutX[n] = cut ? random.nextInt(w) : AugmentPlan.NO_CUTOUT;
        }
        return new AugmentPlan(padding, cutout, mean, std, cropY, cropX, flip, cutY, cutX);
    }
}
