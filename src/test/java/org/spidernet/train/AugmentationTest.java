package org.spidernet.train;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.cpu.CpuBackend;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host draws of {@link Augmentation} carried out by {@link Backend#augment}: the behaviour the
 * trainer relies on, and bit-for-bit agreement with the host path the pixel work used to run on
 * ({@link HostAugmentationOracle}), so that training results did not change.
 */
class AugmentationTest {
    private static ReferenceBackend reference;
    private static CpuBackend cpu;

    @BeforeAll
    static void open() {
        reference = new ReferenceBackend();
        cpu = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        reference.close();
        cpu.close();
    }

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

    /** The batch {@code aug} gives for {@code indices} in {@code slots} slots, built on {@code backend}. */
    private static float[] build(Backend backend, Augmentation aug, ImageDataset data, int[] indices, Random rng,
                                 int slots) {
        byte[] raw = new byte[slots * data.imageSize()];
        Arrays.fill(raw, (byte) 99); // stale pixels in the unused slots, which must not show
        AugmentPlan plan = aug.draw(indices, rng, raw);
        try (Tensor out = backend.allocate(slots, data.channels(), data.height(), data.width())) {
            backend.fill(out, 7.0); // stale contents that must all be overwritten
            backend.augment(raw, out, plan);
            double[] d = backend.download(out);
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
                assertEquals(f[i], d[i], "output " + i + " is not a float32 value");
            }
            return f;
        }
    }

    @Test
    void noAugmentationIsPlainNormalisation() {
        float[] out = build(reference, Augmentation.none(ramp(), UNIT), ramp(), new int[]{0}, null, 1);
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
            float[] out = build(reference, new Augmentation(ramp(), UNIT, 2, true, 0, 0), ramp(), new int[]{0}, r, 1);
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
        float[] out = build(reference, new Augmentation(ramp(), UNIT, 0, false, 2, 1.0), ramp(), new int[]{0},
                new Random(seed), 2);
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

    /**
     * Random datasets, statistics (one channel with std 0 in some trials) and settings: the new
     * path (host draws, backend pixels) on the cpu and reference backends gives exactly the floats
     * the old host path gave from the same seed, and leaves the random stream in the same state.
     */
    @Test
    void matchesTheOldHostPathBitForBit() {
        long seed = System.nanoTime();
        Random meta = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            int c = 1 + meta.nextInt(3);
            int h = 3 + meta.nextInt(12);
            int w = 3 + meta.nextInt(12);
            int count = 6 + meta.nextInt(10);
            byte[] px = new byte[count * c * h * w];
            meta.nextBytes(px);
            byte[] labels = new byte[count];
            ImageDataset data = new ImageDataset(count, c, h, w, 2, px, labels);
            double[] mean = new double[c];
            double[] std = new double[c];
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = 0.2 + 0.5 * meta.nextDouble();
                std[ch] = trial % 5 == 0 && ch == 0 ? 0 : 0.05 + 0.4 * meta.nextDouble();
            }
            ChannelStats stats = new ChannelStats(mean, std);
            int padding = meta.nextInt(5);
            boolean flip = meta.nextBoolean();
            int cutout = meta.nextInt(9);
            double prob = new double[]{0, 0.5, 1}[meta.nextInt(3)];
            int slots = 1 + meta.nextInt(6);
            int[] idx = new int[1 + meta.nextInt(slots)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = meta.nextInt(count);
            }
            long drawSeed = meta.nextLong();
            String where = "seed " + seed + "L, trial " + trial + " (C " + c + ", " + h + "x" + w + ", padding "
                    + padding + ", flip " + flip + ", cutout " + cutout + " p " + prob + ", " + idx.length + " of "
                    + slots + " slots)";

            float[] expected = new float[slots * data.imageSize()];
            Arrays.fill(expected, 3f);
            Random oldRng = new Random(drawSeed);
            new HostAugmentationOracle(data, stats, padding, flip, cutout, prob).assemble(idx, oldRng, expected);
            long nextAfterOld = oldRng.nextLong();
            Augmentation aug = new Augmentation(data, stats, padding, flip, cutout, prob);
            for (Backend backend : new Backend[]{cpu, reference}) {
                Random newRng = new Random(drawSeed);
                float[] actual = build(backend, aug, data, idx, newRng, slots);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                            backend.name() + " element " + i + ": expected " + expected[i] + ", got " + actual[i]
                                    + "; " + where);
                }
                assertEquals(nextAfterOld, newRng.nextLong(),
                        backend.name() + ": the draws consumed a different part of the random stream; " + where);
            }
        }
    }

    @Test
    void statsWithAnotherChannelCountAreRejected() {
        ChannelStats three = new ChannelStats(new double[]{0, 0, 0}, new double[]{1, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Augmentation(ramp(), three, 0, false, 0, 0));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
    }
}
