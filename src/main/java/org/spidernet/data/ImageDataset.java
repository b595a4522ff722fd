package org.spidernet.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * An immutable, in-memory set of labelled images with 8-bit pixels.
 *
 * <p>Pixels are kept as the raw bytes of the files (unsigned, 0..255), image after image, each
 * image in channel-major order (C, H, W), rows row-major: the NCHW layout the backends use, so a
 * batch is a contiguous copy. Labels are one unsigned byte each, which covers the 100 classes of
 * CIFAR-100 and keeps 60,000 labels at 60 kB.
 *
 * <p>Bytes instead of floats because a float copy of CIFAR-10's training set would take 600 MB;
 * the conversion to normalised floats happens per batch ({@link #normalizeInto}).
 */
public final class ImageDataset {

    /** Labels are stored as unsigned bytes. */
    public static final int MAX_CLASSES = 256;

    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final byte[] pixels;
    private final byte[] labels;

    /**
     * Makes a dataset from copies of the given arrays, so later changes to them cannot reach it.
     *
     * @param pixels {@code count * channels * height * width} bytes, NCHW
     * @param labels {@code count} bytes, each read as unsigned and below {@code numClasses}
     * @throws IllegalArgumentException if a dimension is out of range, an array has the wrong length
     *                                  or a label is not below {@code numClasses}
     */
    public ImageDataset(int count, int channels, int height, int width, int numClasses, byte[] pixels, byte[] labels) {
        this(count, channels, height, width, numClasses,
                Objects.requireNonNull(pixels, "pixels").clone(), Objects.requireNonNull(labels, "labels").clone(), true);
    }

    // The loaders hand over arrays they allocated themselves and never touch again; copying
    // 150 MB of CIFAR pixels only to drop the original would double the peak memory for nothing.
    private ImageDataset(int count, int channels, int height, int width, int numClasses, byte[] pixels, byte[] labels,
                         boolean validate) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image dimensions must be >= 1, got " + channels + "x" + height + "x" + width);
        }
        if (numClasses < 1 || numClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("numClasses must be in 1.." + MAX_CLASSES + ", got " + numClasses);
        }
        long expectedPixels = (long) count * channels * height * width;
        if (expectedPixels != pixels.length) {
            throw new IllegalArgumentException("pixels: expected " + count + " x " + channels + "x" + height + "x" + width
                    + " = " + expectedPixels + " bytes, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels: expected " + count + ", got " + labels.length);
        }
        if (validate) {
            for (int i = 0; i < count; i++) {
                int label = labels[i] & 0xFF;
                if (label >= numClasses) {
                    throw new IllegalArgumentException("label " + label + " of image " + i + " is not in 0.." + (numClasses - 1));
                }
            }
        }
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Takes ownership of the arrays without copying them. Only for dataset readers that allocated
     * the arrays and have already checked every label against the file it came from (so their
     * error can name that file); the lengths are still checked.
     */
    /**
     * Uniform random pixels and labels drawn from {@code seed}: for measuring scoring cost and for
     * tests, where what the images show does not matter.
     */
    public static ImageDataset uniformRandom(int count, int channels, int height, int width, int numClasses, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[count * channels * height * width];
        r.nextBytes(px);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) r.nextInt(numClasses);
        }
        return new ImageDataset(count, channels, height, width, numClasses, px, labels);
    }

    /**
     * Images whose classes are unknown (the inputs of a prediction), for code that runs a network
     * over them: every label is 0 of a single class, and nothing may read them as true classes.
     * Takes ownership of {@code pixels} ({@code count * channels * height * width} bytes, NCHW).
     */
    public static ImageDataset unlabelled(int count, int channels, int height, int width, byte[] pixels) {
        return new ImageDataset(count, channels, height, width, 1, pixels, new byte[count], false);
    }

    public static ImageDataset wrapChecked(int count, int channels, int height, int width, int numClasses,
                                    byte[] pixels, byte[] labels) {
        return new ImageDataset(count, channels, height, width, numClasses, pixels, labels, false);
    }

    public int count() {
        return count;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Bytes per image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Whether {@code other} has the same image shape and number of classes (it may differ in count). */
    public boolean sameShapeAs(ImageDataset other) {
        return channels == other.channels && height == other.height && width == other.width
                && numClasses == other.numClasses;
    }

    /** One pixel value, 0..255. */
    public int pixel(int image, int channel, int y, int x) {
        Objects.checkIndex(image, count);
        Objects.checkIndex(channel, channels);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return pixels[((image * channels + channel) * height + y) * width + x] & 0xFF;
    }

    /** The label of one image, 0..numClasses-1. */
    public int label(int image) {
        Objects.checkIndex(image, count);
        return labels[image] & 0xFF;
    }

    /** All labels, as a fresh array. */
    public int[] labels() {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = labels[i] & 0xFF;
        }
        return out;
    }

    /** How many images carry each label; index = class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = 0; i < count; i++) {
            counts[labels[i] & 0xFF]++;
        }
        return counts;
    }

    /** Copies image {@code image} ({@link #imageSize()} bytes, CHW) into {@code dest} at {@code offset}. */
    public void copyImage(int image, byte[] dest, int offset) {
        Objects.checkIndex(image, count);
        int size = imageSize();
        System.arraycopy(pixels, image * size, dest, offset, size);
    }

    /** All pixels as a fresh array (count * C * H * W bytes, NCHW). */
    public byte[] copyPixels() {
        return pixels.clone();
    }

    /**
     * All pixels as a read-only view, without copying: the way to hand the whole set to a device
     * buffer in one transfer. Bytes are unsigned ({@code b & 0xFF}).
     */
    public ByteBuffer pixelBuffer() {
        return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /**
     * Writes the images at {@code indices} to {@code dest} as normalised floats,
     * {@code (p / 255 - mean[c]) / std[c]}, NCHW, one image after the other from index 0: the
     * per-batch conversion a trainer needs. A channel whose std is 0 (a constant channel) is only
     * centred, since dividing by 0 would turn it into NaN.
     *
     * @throws IllegalArgumentException if {@code stats} has another channel count or {@code dest}
     *                                  is shorter than {@code indices.length * imageSize()}
     */
    public void normalizeInto(int[] indices, ChannelStats stats, float[] dest) {
        if (stats.channels() != channels) {
            throw new IllegalArgumentException("stats have " + stats.channels() + " channels, images have " + channels);
        }
        int size = imageSize();
        int plane = height * width;
        if ((long) indices.length * size > dest.length) {
            throw new IllegalArgumentException("dest holds " + dest.length + " floats, " + indices.length + " images need "
                    + (long) indices.length * size);
        }
        // One lookup table per channel: 256 possible inputs, so the division is done 256 times,
        // not once per pixel.
        float[][] table = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            double mean = stats.mean(c);
            double std = stats.std(c);
            double scale = std > 0 ? 1.0 / std : 1.0;
            for (int v = 0; v < 256; v++) {
                table[c][v] = (float) ((v / 255.0 - mean) * scale);
            }
        }
        int out = 0;
        for (int index : indices) {
            Objects.checkIndex(index, count);
            int in = index * size;
            for (int c = 0; c < channels; c++) {
                float[] t = table[c];
                for (int p = 0; p < plane; p++) {
                    dest[out++] = t[pixels[in++] & 0xFF];
                }
            }
        }
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), in order. */
    public ImageDataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, count);
        int size = imageSize();
        return new ImageDataset(to - from, channels, height, width, numClasses,
                Arrays.copyOfRange(pixels, from * size, to * size), Arrays.copyOfRange(labels, from, to), false);
    }

    /** The first {@code n} images; for quick runs and tests. */
    public ImageDataset first(int n) {
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("first(" + n + ") of a dataset with " + count + " images");
        }
        return subset(0, n);
    }

    /**
     * Mean and (population) standard deviation of each channel over every pixel of every image,
     * with pixel values scaled to [0, 1].
     *
     * @throws IllegalStateException for an empty dataset, which has no statistics
     */
    public ChannelStats channelStats() {
        if (count == 0) {
            throw new IllegalStateException("channel statistics of an empty dataset are undefined");
        }
        // Integer sums are exact: a Java array holds under 2^31 pixels and each square is under
        // 2^16, so no sum can pass 2^47; the only rounding is in the final divisions.
        long[] sum = new long[channels];
        long[] sumSquares = new long[channels];
        int plane = height * width;
        int i = 0;
        for (int image = 0; image < count; image++) {
            for (int c = 0; c < channels; c++) {
                long s = 0;
                long sq = 0;
                for (int p = 0; p < plane; p++) {
                    int v = pixels[i++] & 0xFF;
                    s += v;
                    sq += v * v;
                }
                sum[c] += s;
                sumSquares[c] += sq;
            }
        }
        double n = (double) count * plane;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n;
            double variance = Math.max(0.0, sumSquares[c] / n - m * m);
            mean[c] = m / 255.0;
            std[c] = Math.sqrt(variance) / 255.0;
        }
        return new ChannelStats(mean, std);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + count + " images of " + channels + "x" + height + "x" + width + ", " + numClasses + " classes]";
    }
}
