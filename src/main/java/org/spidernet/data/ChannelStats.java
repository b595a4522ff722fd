package org.spidernet.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0, 1], the numbers an input
 * normalisation {@code (x / 255 - mean[c]) / std[c]} needs. Computed from the training images only,
 * so that nothing about the test set leaks into training.
 *
 * @param mean one entry per channel, in [0, 1]
 * @param std  one entry per channel (population standard deviation), >= 0
 */
public record ChannelStats(double[] mean, double[] std) {

    public ChannelStats {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("need one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] >= 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + ", std " + std[c]
                        + " (need finite values and std >= 0)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public double mean(int channel) {
        return mean[channel];
    }

    public double std(int channel) {
        return std[channel];
    }

    // A record's default equals compares array identity; value equality is what callers expect.
    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStats other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
