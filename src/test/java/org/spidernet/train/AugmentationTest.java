package org.spidernet.train;

import org.junit.jupiter.api.Test;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {

    private static ImageDataset ramp() {
        // one 1x4x5 image whose pixel value encodes its position: v = 10*y + x + 1
        byte[] px = new byte[20];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                px[y * 5 + x] = (byte) (10 * y + x + 1);
            }
        }
        return new ImageDataset(1, 1, 4, 5, 2, px, new byte[]{1});
    }

    private static final ChannelStats UNIT = new ChannelStats(new double[]{0}, new double[]{1 / 255.0});

    @Test
    void noAugmentationIsPlainNormalisation() {
        float[] out = new float[20];
        Augmentation.none(ramp(), UNIT).assemble(new int[]{0}, null, out);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(10 * y + x + 1, out[y * 5 + x], 1e-4);
            }
        }
    }

    @Test
    void cropShiftsWithBlackBorderAndFlipMirrors() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int sawFlip = 0;
        int sawShift = 0;
        for (int trial = 0; trial < 50; trial++) {
            float[] out = new float[20];
            new Augmentation(ramp(), UNIT, 2, true, 0, 0).assemble(new int[]{0}, r, out);
            // every output pixel is black (0) or an image pixel; image pixels keep their row/column structure
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    float v = out[y * 5 + x];
                    assertTrue(v == 0 || (v >= 1 && v <= 35), "seed " + seed + ": unexpected value " + v);
                }
            }
            float a = out[5 + 1];
            float b = out[5 + 2];
            if (a != 0 && b != 0) {
                if (b - a == -1) {
                    sawFlip++;
                }
                if (a != 12) {
                    sawShift++;
                }
            }
        }
        assertTrue(sawFlip > 0 && sawShift > 0, "seed " + seed + ": flips " + sawFlip + ", shifts " + sawShift);
    }

    @Test
    void cutoutZeroesASquareAndPaddingSlotsAreZero() {
        long seed = System.nanoTime();
        float[] out = new float[40];
        java.util.Arrays.fill(out, 7f);
        new Augmentation(ramp(), UNIT, 0, false, 2, 1.0).assemble(new int[]{0}, new Random(seed), out);
        int zeros = 0;
        for (int i = 0; i < 20; i++) {
            if (out[i] == 0) {
                zeros++;
            }
        }
        assertTrue(zeros >= 1 && zeros <= 4, "seed " + seed + ": cutout of side 2 zeroed " + zeros);
        for (int i = 20; i < 40; i++) {
            assertEquals(0f, out[i], "padding slot " + i);
        }
    }
}
