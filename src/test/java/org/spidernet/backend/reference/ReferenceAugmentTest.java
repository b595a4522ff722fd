package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.RandomAugmentPlans;
import org.spidernet.backend.Tensor;

/**
 * The reference {@code augment} against an independent oracle that follows the recipe step by
 * step on whole images (zero-pad, take the crop window, mirror it, normalise, cut out), on fresh
 * random images and plans and on the edge cases. Both sides evaluate the same float64 formula and
 * round it to float32, so they must agree exactly.
 */
class ReferenceAugmentTest {
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    /** Step-by-step recipe for samples [0, plan.samples()), zeros after. */
    private static double[] oracle(byte[] raw, int n, int c, int h, int w, AugmentPlan plan) {
        double[] out = new double[n * c * h * w];
        int p = plan.padding();
        for (int s = 0; s < plan.samples(); s++) {
            for (int ch = 0; ch < c; ch++) {
                double[][] padded = new double[h + 2 * p][w + 2 * p];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        padded[y + p][x + p] = raw[((s * c + ch) * h + y) * w + x] & 0xFF;
                    }
                }
                double[][] crop = new double[h][w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        crop[y][x] = padded[plan.cropY(s) + y][plan.cropX(s) + x];
                    }
                }
                double[][] image = new double[h][w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        image[y][x] = plan.flip(s) ? crop[y][w - 1 - x] : crop[y][x];
                    }
                }
                double scale = plan.std(ch) > 0 ? 1 / plan.std(ch) : 1;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[((s * c + ch) * h + y) * w + x] = (float) ((image[y][x] / 255.0 - plan.mean(ch)) * scale);
                    }
                }
                if (plan.cutoutY(s) != AugmentPlan.NO_CUTOUT) {
                    int half = plan.cutout() / 2;
                    for (int y = Math.max(0, plan.cutoutY(s) - half); y < Math.min(h, plan.cutoutY(s) + half); y++) {
                        for (int x = Math.max(0, plan.cutoutX(s) - half); x < Math.min(w, plan.cutoutX(s) + half); x++) {
                            out[((s * c + ch) * h + y) * w + x] = 0;
                        }
                    }
                }
            }
        }
        return out;
    }

    private void assertMatchesOracle(int n, int c, int h, int w, AugmentPlan plan, String what) {
        byte[] raw = RandomAugmentPlans.rawPixels(random, plan.samples() * c * h * w);
        try (Tensor out = backend.allocate(n, c, h, w)) {
            backend.fill(out, 7.0);
            backend.augment(raw, out, plan);
            double[] actual = backend.download(out);
            double[] expected = oracle(raw, n, c, h, w, plan);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 0.0, what + ": element " + i + " (seed " + seed + "L)");
            }
        }
    }

    @Test
    void randomPlansMatchTheStepByStepRecipe() {
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + random.nextInt(5);
            int c = 1 + random.nextInt(3);
            int h = 2 + random.nextInt(12);
            int w = 2 + random.nextInt(12);
            int padding = random.nextInt(5);
            int cutout = random.nextInt(9);
            int samples = random.nextInt(n + 1);
            assertMatchesOracle(n, c, h, w, RandomAugmentPlans.plan(random, samples, c, h, w, padding, cutout),
                    "trial " + trial + " [" + n + ", " + c + ", " + h + ", " + w + "] padding " + padding
                            + " cutout " + cutout + " samples " + samples);
        }
    }

    /** Crops at both extremes with and without flip, Cutout centred on opposite corners, and none. */
    @Test
    void edgeCases() {
        int h = 6;
        int w = 7;
        double[] mean = {0.4, 0.5};
        double[] std = {0.2, 0.3};
        int[] cropY = {0, 4, 0, 4, 2};
        int[] cropX = {0, 4, 4, 0, 2};
        boolean[] flip = {false, true, true, false, false};
        int[] cutY = {0, h - 1, AugmentPlan.NO_CUTOUT, 0, AugmentPlan.NO_CUTOUT};
        int[] cutX = {0, w - 1, AugmentPlan.NO_CUTOUT, w - 1, AugmentPlan.NO_CUTOUT};
        AugmentPlan corners = new AugmentPlan(2, 4, mean, std, cropY, cropX, flip, cutY, cutX);
        assertMatchesOracle(6, 2, h, w, corners, "extreme crops, corner cutouts");
        AugmentPlan noPadding = new AugmentPlan(0, 3, mean, std, new int[3], new int[3], new boolean[]{true, false, true},
                new int[]{1, AugmentPlan.NO_CUTOUT, h - 1}, new int[]{w - 1, AugmentPlan.NO_CUTOUT, 0});
        assertMatchesOracle(3, 2, h, w, noPadding, "padding 0");
        assertMatchesOracle(4, 2, h, w, AugmentPlan.identity(2, mean, std), "identity on 2 of 4 samples");
    }

    /** The corner Cutout of side 4 at (0, 0) clears exactly the 2 x 2 block inside the image. */
    @Test
    void cornerCutoutClearsTheClippedSquare() {
        int h = 5;
        int w = 5;
        AugmentPlan plan = new AugmentPlan(0, 4, new double[]{0.5}, new double[]{0.25}, new int[1], new int[1],
                new boolean[1], new int[]{0}, new int[]{0});
        byte[] raw = RandomAugmentPlans.rawPixels(random, h * w);
        try (Tensor out = backend.allocate(1, 1, h, w)) {
            backend.augment(raw, out, plan);
            double[] o = backend.download(out);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double plain = (float) (((raw[y * w + x] & 0xFF) / 255.0 - 0.5) * 4);
                    assertEquals(y < 2 && x < 2 ? 0.0 : plain, o[y * w + x], 0.0, "(" + y + ", " + x + ")");
                }
            }
        }
    }

    @Test
    void shapeErrorsNameTheShapes() {
        AugmentPlan plan = RandomAugmentPlans.plan(random, 2, 3, 4, 4, 1, 2);
        byte[] raw = new byte[2 * 48];
        try (Tensor oneChannel = backend.allocate(2, 1, 4, 4); Tensor flat = backend.allocate(2, 48);
             Tensor small = backend.allocate(1, 3, 4, 4); Tensor out = backend.allocate(2, 3, 4, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.augment(raw, oneChannel, plan));
            assertTrue(e.getMessage().contains("[2, 1, 4, 4]") && e.getMessage().contains("3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> backend.augment(raw, flat, plan));
            assertTrue(e.getMessage().contains("[2, 48]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> backend.augment(raw, small, plan));
            assertTrue(e.getMessage().contains("[1, 3, 4, 4]") && e.getMessage().contains("2"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> backend.augment(new byte[95], out, plan));
            assertTrue(e.getMessage().contains("95 bytes") && e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
            AugmentPlan outside = new AugmentPlan(0, 2, new double[]{0, 0, 0}, new double[]{1, 1, 1}, new int[1],
                    new int[1], new boolean[1], new int[]{4}, new int[]{0});
            e = assertThrows(IllegalArgumentException.class, () -> backend.augment(raw, small, outside));
            assertTrue(e.getMessage().contains("cutout centre (4, 0)"), e.getMessage());
        }
    }

    @Test
    void plansRejectDrawsOutOfRange() {
        double[] one = {0.5};
        assertThrows(IllegalArgumentException.class, () -> new AugmentPlan(1, 0, one, one, new int[]{3}, new int[1],
                new boolean[1], new int[]{-1}, new int[]{-1}));
        assertThrows(IllegalArgumentException.class, () -> new AugmentPlan(1, 0, one, one, new int[1], new int[1],
                new boolean[1], new int[]{-1}, new int[]{2}));
        assertThrows(IllegalArgumentException.class, () -> new AugmentPlan(1, 0, one, one, new int[2], new int[1],
                new boolean[1], new int[]{-1}, new int[]{-1}));
        assertThrows(IllegalArgumentException.class, () -> new AugmentPlan(1, 0, one, new double[]{-1}, new int[1],
                new int[1], new boolean[1], new int[]{-1}, new int[]{-1}));
    }
}
