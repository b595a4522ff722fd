package org.spidernet.backend;

import java.util.Arrays;

/**
 * What {@link Backend#augment} does to one batch's raw pixels: the per-sample draws of the CIFAR-style
 * augmentation (crop window, horizontal flip, Cutout centre), made on the host from an explicit
 * seed, and the per-channel normalisation. Immutable; the arrays are copied in and out.
 *
 * <p>Sample n's crop window starts at ({@code cropY[n]}, {@code cropX[n]}) of the raw image
 * zero-padded by {@code padding} pixels on every side, so both lie in [0, 2 * padding];
 * {@code cutoutY[n]} / {@code cutoutX[n]} is the Cutout centre in output coordinates, or -1 for
 * no Cutout on that sample. The plan covers the first {@link #samples()} samples of the batch;
 * the rest (a padded last batch) are written as zeros.
 */
public final class AugmentPlan {
    /** {@link #cutoutY(int)} of a sample without Cutout. */
    public static final int NO_CUTOUT = -1;

    private final int samples;
    private final int padding;
    private final int cutout;
    private final double[] mean;
    private final double[] std;
    private final int[] cropY;
    private final int[] cropX;
    private final boolean[] flip;
    private final int[] cutoutY;
    private final int[] cutoutX;

    /**
     * @param mean per-channel mean of the pixel values scaled to [0, 1]
     * @param std  per-channel standard deviation; 0 means "do not scale" (a constant channel)
     * @throws IllegalArgumentException when the arrays disagree in length or a draw is out of range
     */
    public AugmentPlan(int padding, int cutout, double[] mean, double[] std, int[] cropY, int[] cropX,
                       boolean[] flip, int[] cutoutY, int[] cutoutX) {
        require(padding >= 0, "padding " + padding + " is negative");
        require(cutout >= 0, "cutout " + cutout + " is negative");
        require(mean.length == std.length && mean.length > 0, "mean has " + mean.length + " channels, std "
                + std.length + " (need the same, at least one)");
        int n = cropY.length;
        require(cropX.length == n && flip.length == n && cutoutY.length == n && cutoutX.length == n,
                "per-sample arrays disagree: cropY " + n + ", cropX " + cropX.length + ", flip " + flip.length
                        + ", cutoutY " + cutoutY.length + ", cutoutX " + cutoutX.length);
        for (int i = 0; i < n; i++) {
            require(cropY[i] >= 0 && cropY[i] <= 2 * padding && cropX[i] >= 0 && cropX[i] <= 2 * padding,
                    "sample " + i + ": crop offset (" + cropY[i] + ", " + cropX[i] + ") outside [0, "
                            + 2 * padding + "] for padding " + padding);
            require((cutoutY[i] == NO_CUTOUT) == (cutoutX[i] == NO_CUTOUT) && cutoutY[i] >= NO_CUTOUT
                            && cutoutX[i] >= NO_CUTOUT,
                    "sample " + i + ": cutout centre (" + cutoutY[i] + ", " + cutoutX[i] + ") is neither a position"
                            + " nor (-1, -1)");
        }
        for (int c = 0; c < std.length; c++) {
            require(std[c] >= 0 && Double.isFinite(std[c]) && Double.isFinite(mean[c]),
                    "channel " + c + ": mean " + mean[c] + ", std " + std[c] + " (need finite, std >= 0)");
        }
        this.samples = n;
        this.padding = padding;
        this.cutout = cutout;
        this.mean = mean.clone();
        this.std = std.clone();
        this.cropY = cropY.clone();
        this.cropX = cropX.clone();
        this.flip = flip.clone();
        this.cutoutY = cutoutY.clone();
        this.cutoutX = cutoutX.clone();
    }

    /** Normalisation only, for evaluation: no padding, crop, flip or Cutout on any of {@code samples}. */
    public static AugmentPlan identity(int samples, double[] mean, double[] std) {
        int[] none = new int[samples];
        Arrays.fill(none, NO_CUTOUT);
        return new AugmentPlan(0, 0, mean, std, new int[samples], new int[samples], new boolean[samples], none,
                none);
    }

    /**
     * Checks the arguments of {@link Backend#augment} against this plan: {@code out} is
     * [N, C, H, W] with C the plan's channels and N at least {@link #samples()}, {@code raw} holds
     * at least {@link #samples()} images of C * H * W bytes, every Cutout centre lies inside H x W.
     *
     * @throws IllegalArgumentException naming the shape and sizes otherwise
     */
    public void check(String op, byte[] raw, int[] out) {
        String shape = Arrays.toString(out);
        require(out.length == 4, op + ": out " + shape + " is not [N, C, H, W]");
        require(out[1] == channels(), op + ": out " + shape + " has " + out[1] + " channels, the plan normalises "
                + channels());
        require(out[0] >= samples, op + ": out " + shape + " holds " + out[0] + " samples, the plan describes "
                + samples);
        long needed = (long) samples * out[1] * out[2] * out[3];
        require(raw.length >= needed, op + ": raw holds " + raw.length + " bytes, " + samples + " images of out "
                + shape + " need " + needed);
        for (int i = 0; i < samples; i++) {
            require(cutoutY[i] < out[2] && cutoutX[i] < out[3], op + ": sample " + i + ": cutout centre ("
                    + cutoutY[i] + ", " + cutoutX[i] + ") outside the " + out[2] + " x " + out[3] + " image of out "
                    + shape);
        }
    }

    public int samples() {
        return samples;
    }

    public int padding() {
        return padding;
    }

    /** Side of the Cutout square; the zeroed rows are [cy - cutout/2, cy + cutout/2) clipped to the image. */
    public int cutout() {
        return cutout;
    }

    public int channels() {
        return mean.length;
    }

    public double mean(int channel) {
        return mean[channel];
    }

    public double std(int channel) {
        return std[channel];
    }

    /** The factor the centred value is multiplied by: 1 / std, or 1 for a channel with std 0. */
    public double scale(int channel) {
        return std[channel] > 0 ? 1.0 / std[channel] : 1.0;
    }

    public int cropY(int sample) {
        return cropY[sample];
    }

    public int cropX(int sample) {
        return cropX[sample];
    }

    public boolean flip(int sample) {
        return flip[sample];
    }

    public int cutoutY(int sample) {
        return cutoutY[sample];
    }

    public int cutoutX(int sample) {
        return cutoutX[sample];
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
