package org.spidernet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    /** 3 images, 2 channels, 2x3 pixels; pixel = 60*i + 10*c + 3*y + x, so every axis shows. */
    private static ImageDataset small() {
        int count = 3, channels = 2, h = 2, w = 3;
        byte[] pixels = new byte[count * channels * h * w];
        int k = 0;
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        pixels[k++] = (byte) (60 * i + 10 * c + 3 * y + x);
                    }
                }
            }
        }
        return new ImageDataset(count, channels, h, w, 5, pixels, new byte[] {4, 0, 2});
    }

    @Test
    void accessorsFollowNchwLayout() {
        ImageDataset d = small();
        assertEquals(3, d.count());
        assertEquals(2, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertEquals(5, d.numClasses());
        assertEquals(12, d.imageSize());
        assertEquals(0, d.pixel(0, 0, 0, 0));
        assertEquals(1, d.pixel(0, 0, 0, 1));
        assertEquals(3, d.pixel(0, 0, 1, 0));
        assertEquals(10, d.pixel(0, 1, 0, 0));
        assertEquals(60 * 2 + 10 + 3 + 2, d.pixel(2, 1, 1, 2));
        assertArrayEquals(new int[] {4, 0, 2}, d.labels());
        assertArrayEquals(new int[] {1, 0, 1, 0, 1}, d.classCounts());

        byte[] image = new byte[14];
        d.copyImage(1, image, 2);
        assertEquals(60, image[2]);
        assertEquals(60 + 10 + 3 + 2, image[13]);
    }

    @Test
    void pixelsAbove127ReadUnsigned() {
        ImageDataset d = new ImageDataset(1, 1, 1, 2, 1, new byte[] {(byte) 255, (byte) 128}, new byte[] {0});
        assertEquals(255, d.pixel(0, 0, 0, 0));
        assertEquals(128, d.pixel(0, 0, 0, 1));
    }

    @Test
    void constructorCopiesItsInputs() {
        byte[] pixels = {1, 2};
        byte[] labels = {0};
        ImageDataset d = new ImageDataset(1, 1, 1, 2, 2, pixels, labels);
        pixels[0] = 99;
        labels[0] = 1;
        assertEquals(1, d.pixel(0, 0, 0, 0));
        assertEquals(0, d.label(0));

        byte[] copy = d.copyPixels();
        copy[1] = 77;
        assertEquals(2, d.pixel(0, 0, 0, 1));

        ByteBuffer view = d.pixelBuffer();
        assertEquals(2, view.remaining());
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 5));
    }

    @Test
    void constructorRejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(2, 1, 1, 2, 2, new byte[3], new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(2, 1, 1, 2, 2, new byte[4], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(1, 0, 1, 2, 2, new byte[0], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(-1, 1, 1, 1, 2, new byte[0], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(1, 1, 1, 1, 0, new byte[1], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(1, 1, 1, 1, 257, new byte[1], new byte[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(2, 1, 1, 1, 3, new byte[2], new byte[] {0, 3}));
        assertTrue(e.getMessage().contains("label 3 of image 1"), e.getMessage());
        // 200 as a signed byte is negative; it must still be caught as out of range.
        assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(1, 1, 1, 1, 10, new byte[1], new byte[] {(byte) 200}));
    }

    @Test
    void hundredClassesFitInByteLabels() {
        ImageDataset d = new ImageDataset(1, 1, 1, 1, 256, new byte[1], new byte[] {(byte) 255});
        assertEquals(255, d.label(0));
    }

    @Test
    void subsetAndFirstKeepOrderAndShape() {
        ImageDataset d = small();
        ImageDataset tail = d.subset(1, 3);
        assertEquals(2, tail.count());
        assertTrue(tail.sameShapeAs(d));
        assertEquals(60, tail.pixel(0, 0, 0, 0));
        assertEquals(120 + 10 + 3 + 2, tail.pixel(1, 1, 1, 2));
        assertArrayEquals(new int[] {0, 2}, tail.labels());

        ImageDataset head = d.first(1);
        assertEquals(1, head.count());
        assertEquals(4, head.label(0));
        assertEquals(0, d.subset(2, 2).count());

        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(2, 1));
        assertThrows(IllegalArgumentException.class, () -> d.first(4));
        assertThrows(IndexOutOfBoundsException.class, () -> d.pixel(3, 0, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.pixel(0, 0, 0, 3));
    }

    @Test
    void channelStatsMatchHandComputedValues() {
        // Channel 0: values 0 and 255 (mean 0.5, std 0.5). Channel 1: all 51 (mean 0.2, std 0).
        byte[] pixels = {0, (byte) 255, 51, 51, (byte) 255, 0, 51, 51};
        ImageDataset d = new ImageDataset(2, 2, 1, 2, 1, pixels, new byte[2]);

        ChannelStats s = d.channelStats();

        assertEquals(2, s.channels());
        assertEquals(0.5, s.mean(0), 1e-12);
        assertEquals(0.5, s.std(0), 1e-12);
        assertEquals(0.2, s.mean(1), 1e-12);
        assertEquals(0.0, s.std(1), 1e-12);
    }

    @Test
    void channelStatsAgreeWithATwoPassComputation() {
        ImageDataset d = small();
        ChannelStats s = d.channelStats();
        for (int c = 0; c < d.channels(); c++) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < d.count(); i++) {
                for (int y = 0; y < d.height(); y++) {
                    for (int x = 0; x < d.width(); x++) {
                        sum += d.pixel(i, c, y, x) / 255.0;
                        n++;
                    }
                }
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < d.count(); i++) {
                for (int y = 0; y < d.height(); y++) {
                    for (int x = 0; x < d.width(); x++) {
                        double v = d.pixel(i, c, y, x) / 255.0 - mean;
                        squares += v * v;
                    }
                }
            }
            assertEquals(mean, s.mean(c), 1e-12, "mean of channel " + c);
            assertEquals(Math.sqrt(squares / n), s.std(c), 1e-12, "std of channel " + c);
            assertTrue(s.std(c) > 0);
        }
    }

    @Test
    void channelStatsOfEmptySetAreRefused() {
        assertThrows(IllegalStateException.class, () -> small().subset(0, 0).channelStats());
    }

    @Test
    void normalizeIntoWritesSelectedImagesInOrder() {
        ImageDataset d = small();
        ChannelStats stats = new ChannelStats(new double[] {0.1, 0.2}, new double[] {0.5, 0.0});
        float[] out = new float[2 * d.imageSize() + 1];
        out[out.length - 1] = 42f;

        d.normalizeInto(new int[] {2, 0}, stats, out);

        // First image written is image 2, channel 0, (0,0): 120/255.
        assertEquals((float) ((120 / 255.0 - 0.1) / 0.5), out[0], 1e-6f);
        // Image 2, channel 1, (1,2); std 0 means centring only.
        assertEquals((float) ((120 + 10 + 3 + 2) / 255.0 - 0.2), out[11], 1e-6f);
        // Second image written is image 0, channel 0, (0,1).
        assertEquals((float) ((1 / 255.0 - 0.1) / 0.5), out[13], 1e-6f);
        assertEquals(42f, out[out.length - 1], "nothing written past the batch");

        assertThrows(IllegalArgumentException.class, () -> d.normalizeInto(new int[] {0, 1, 2}, stats, out));
        assertThrows(IllegalArgumentException.class,
                () -> d.normalizeInto(new int[] {0}, new ChannelStats(new double[] {0}, new double[] {1}), out));
        assertThrows(IndexOutOfBoundsException.class, () -> d.normalizeInto(new int[] {3}, stats, out));
    }

    @Test
    void channelStatsIsAValue() {
        ChannelStats a = new ChannelStats(new double[] {0.1}, new double[] {0.2});
        ChannelStats b = new ChannelStats(new double[] {0.1}, new double[] {0.2});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        a.mean()[0] = 9;
        assertEquals(0.1, a.mean(0));
        assertThrows(IllegalArgumentException.class, () -> new ChannelStats(new double[] {0.1}, new double[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new ChannelStats(new double[] {0.1}, new double[0]));
    }
}
