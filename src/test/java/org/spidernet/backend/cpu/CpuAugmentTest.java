package org.spidernet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.RandomAugmentPlans;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;

/**
 * The cpu backend's {@code augment} against the float64 reference on fresh random images and
 * plans, from one image to a CIFAR-sized batch (split over the workers). Both evaluate the SPI's
 * float64 formula and round once to float32, so the tolerance is zero: they must agree bit for
 * bit (the trainer's results on the two backends rely on it).
 */
class CpuAugmentTest {
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private final CpuBackend cpu = new CpuBackend(2);
    private final ReferenceBackend reference = new ReferenceBackend();

    @AfterEach
    void close() {
        cpu.close();
        reference.close();
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}, {3}] padding {4} cutout {5}, {6} planned")
    @CsvSource({"1, 1, 5, 7, 2, 3, 1", "3, 3, 9, 9, 0, 0, 2", "64, 3, 32, 32, 4, 16, 64", "10, 1, 28, 28, 4, 8, 7",
            "4, 2, 6, 5, 3, 5, 4"})
    void matchesTheReferenceExactly(int n, int c, int h, int w, int padding, int cutout, int samples) {
        byte[] raw = RandomAugmentPlans.rawPixels(random, n * c * h * w);
        AugmentPlan plan = RandomAugmentPlans.plan(random, samples, c, h, w, padding, cutout);
        try (Tensor co = cpu.allocate(n, c, h, w); Tensor ro = reference.allocate(n, c, h, w)) {
            cpu.fill(co, 7.0);
            cpu.augment(raw, co, plan);
            reference.augment(raw, ro, plan);
            double[] expected = reference.download(ro);
            double[] actual = cpu.download(co);
            int nonZero = 0;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 0.0, "element " + i + " (seed " + seed + "L)");
                nonZero += expected[i] != 0 ? 1 : 0;
            }
            assertTrue(nonZero > expected.length / (n * 4), "seed " + seed + "L: only " + nonZero + " non-zero outputs");
        }
    }

    /** Every byte value 0..255 in every channel goes through the per-channel table correctly. */
    @Test
    void everyPixelLevelMatchesTheReferenceExactly() {
        int n = 2, c = 3, h = 16, w = 16;
        byte[] raw = new byte[n * c * h * w];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) i; // each plane holds 0..255 once
        }
        AugmentPlan plan = RandomAugmentPlans.plan(random, n, c, h, w, 0, 0);
        try (Tensor co = cpu.allocate(n, c, h, w); Tensor ro = reference.allocate(n, c, h, w)) {
            cpu.augment(raw, co, plan);
            reference.augment(raw, ro, plan);
            double[] expected = reference.download(ro);
            double[] actual = cpu.download(co);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 0.0, "element " + i + " (seed " + seed + "L)");
            }
        }
    }

    @Test
    void shapeErrorsNameTheShapes() {
        AugmentPlan plan = RandomAugmentPlans.plan(random, 2, 3, 4, 4, 1, 2);
        try (Tensor other = cpu.allocate(2, 2, 4, 4); Tensor small = cpu.allocate(1, 3, 4, 4);
             Tensor out = cpu.allocate(2, 3, 4, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.augment(new byte[96], other, plan));
            assertTrue(e.getMessage().contains("[2, 2, 4, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cpu.augment(new byte[96], small, plan));
            assertTrue(e.getMessage().contains("[1, 3, 4, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cpu.augment(new byte[50], out, plan));
            assertTrue(e.getMessage().contains("50 bytes") && e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
        }
    }
}
