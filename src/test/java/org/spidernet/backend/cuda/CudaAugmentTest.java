package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.RandomAugmentPlans;
import org.spidernet.backend.Tensor;

/**
 * The augment kernel (cuda-kernels/augment.cu) against the float64 reference on fresh random
 * images and plans, from one image to a 256-image CIFAR batch (many blocks of the grid-stride
 * loop), with a tail of unplanned samples and the edge crops. Tolerance: 1e-6 of max(1, |expected|)
 * per element, the normalisation being one multiply-add of values of order 1 (the kernel evaluates
 * the formula in float64 with round-to-nearest intrinsics, so it is expected to match exactly; the
 * tolerance only allows for that claim being wrong by an ulp). Skipped without a usable device.
 */
class CudaAugmentTest extends CudaAgainstReference {
    private static final double TOLERANCE = 1e-6;


    private void compare(int n, int c, int h, int w, AugmentPlan plan, String what) {
        byte[] raw = RandomAugmentPlans.rawPixels(random, plan.samples() * c * h * w);
        try (Tensor go = cuda.allocate(n, c, h, w); Tensor ro = reference.allocate(n, c, h, w)) {
            cuda.fill(go, 7.0);
            cuda.augment(raw, go, plan);
            reference.augment(raw, ro, plan);
            double[] expected = reference.download(ro);
            double[] actual = cuda.download(go);
            for (int i = 0; i < expected.length; i++) {
                double bound = TOLERANCE * Math.max(1, Math.abs(expected[i]));
                assertTrue(Math.abs(expected[i] - actual[i]) <= bound, what + ": element " + i + " expected "
                        + expected[i] + ", got " + actual[i] + " (seed " + seed + "L)");
            }
        }
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}, {3}] padding {4} cutout {5}, {6} planned")
    @CsvSource({"1, 1, 5, 7, 2, 3, 1", "256, 3, 32, 32, 4, 16, 256", "10, 1, 28, 28, 4, 8, 7", "5, 16, 6, 5, 3, 12, 4"})
    void matchesTheReference(int n, int c, int h, int w, int padding, int cutout, int samples) {
        compare(n, c, h, w, RandomAugmentPlans.plan(random, samples, c, h, w, padding, cutout),
                "[" + n + ", " + c + ", " + h + ", " + w + "]");
    }

    @Test
    void edgeCropsAndCornerCutouts() {
        double[] mean = {0.4, 0.5};
        double[] std = {0.2, 0.3};
        AugmentPlan corners = new AugmentPlan(2, 4, mean, std, new int[]{0, 4, 0, 4}, new int[]{0, 4, 4, 0},
                new boolean[]{false, true, true, false}, new int[]{0, 5, AugmentPlan.NO_CUTOUT, 0},
                new int[]{0, 6, AugmentPlan.NO_CUTOUT, 6});
        compare(5, 2, 6, 7, corners, "extreme crops, corner cutouts");
        compare(3, 2, 6, 7, AugmentPlan.identity(3, mean, std), "identity");
        compare(3, 2, 6, 7, AugmentPlan.identity(0, mean, std), "nothing planned");
    }

    @Test
    void shapeErrorsNameTheShapes() {
        AugmentPlan plan = RandomAugmentPlans.plan(random, 2, 3, 4, 4, 1, 2);
        AugmentPlan wide = RandomAugmentPlans.plan(random, 1, 17, 2, 2, 0, 0);
        try (Tensor other = cuda.allocate(2, 3, 4, 5); Tensor out = cuda.allocate(2, 3, 4, 4);
             Tensor wideOut = cuda.allocate(1, 17, 2, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cuda.augment(new byte[96], other, plan));
            assertTrue(e.getMessage().contains("[2, 3, 4, 5]") && e.getMessage().contains("bytes"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cuda.augment(new byte[95], out, plan));
            assertTrue(e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cuda.augment(new byte[68], wideOut, wide));
            assertTrue(e.getMessage().contains("17 channels"), e.getMessage());
        }
    }
}
