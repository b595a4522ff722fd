package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spidernet.backend.Availability;

/**
 * The gated-accumulate and ReLU kernels against plain float64 loops on fresh random inputs
 * (the seed is in every failure message). Skipped, with the probe's reason, where no usable
 * CUDA device exists.
 */
class CudaGatedAccumulateTest {
    private static final int SAMPLES = 3;
    private static final double RELATIVE_TOLERANCE = 1e-5;

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private CudaContext context;

    @BeforeEach
    void openDevice() {
        Availability device = CudaBackendProvider.deviceAvailability();
        assumeTrue(device.usable(), "CUDA backend unavailable: " + device.detail());
        context = CudaContext.open(CudaBackendProvider.devices().stream()
                .filter(CudaDeviceInfo::supported).findFirst().orElseThrow().index());
    }

    @AfterEach
    void closeDevice() {
        if (context != null) {
            context.close();
        }
    }

    /** Uniform in [-1, 1) without exact zeros, so that no output can pass by being left unwritten. */
    private float[] randomNonZero(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = random.nextFloat() * 2f - 1f;
            } while (v == 0f);
            values[i] = v;
        }
        return values;
    }

    private DeviceBuffer upload(float[] values) {
        DeviceBuffer buffer = context.allocate((long) values.length * Float.BYTES);
        buffer.upload(values);
        return buffer;
    }

    private void assertClose(double expected, double actual, double scale, String what) {
        double tolerance = RELATIVE_TOLERANCE * scale + Float.MIN_NORMAL;
        if (!(Math.abs(expected - actual) <= tolerance)) {
            fail(what + ": expected " + expected + ", got " + actual + " (tolerance " + tolerance + ", seed " + seed + ")");
        }
    }

    // sizes: one element, odd sizes below and above one block, and one that needs many blocks per sample
    @ParameterizedTest
    @ValueSource(ints = {1, 385, 969, 100_003})
    void scaleAddPerSampleMatchesFloat64Loop(int perSample) {
        int n = SAMPLES * perSample;
        float[] x = randomNonZero(n);
        float[] y0 = randomNonZero(n);
        float[] scale = new float[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            scale[s] = (random.nextFloat() * 4f - 2f) * (random.nextBoolean() ? 1f : 1e-3f);
        }
        float[] y;
        try (DeviceBuffer dx = upload(x); DeviceBuffer dy = upload(y0); DeviceBuffer ds = upload(scale)) {
            GatedAccumulate.scaleAddPerSample(context, dx, ds, dy, SAMPLES, perSample);
            y = dy.downloadFloats();
        }
        double norm = 0;
        int changed = 0;
        for (int s = 0; s < SAMPLES; s++) {
            for (int i = 0; i < perSample; i++) {
                int k = s * perSample + i;
                double expected = (double) y0[k] + (double) scale[s] * x[k];
                assertClose(expected, y[k], Math.abs(expected), "y[" + s + ", " + i + "]");
                norm += (double) y[k] * y[k];
                changed += y[k] != y0[k] ? 1 : 0;
            }
        }
        assertTrue(norm > 0 && changed > 0, "output was not written (seed " + seed + ")");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 385, 969, 100_003})
    void dotPerSampleMatchesFloat64Loop(int perSample) {
        int n = SAMPLES * perSample;
        float[] a = randomNonZero(n);
        float[] b = randomNonZero(n);
        double[] dot;
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b)) {
            dot = GatedAccumulate.dotPerSample(context, da, db, SAMPLES, perSample);
        }
        assertEquals(SAMPLES, dot.length);
        for (int s = 0; s < SAMPLES; s++) {
            double expected = 0;
            double magnitude = 0;
            for (int i = 0; i < perSample; i++) {
                double product = (double) a[s * perSample + i] * b[s * perSample + i];
                expected += product;
                magnitude += Math.abs(product);
            }
            // relative to the result, plus float64 rounding of the sum of magnitudes for the rare
            // sample whose products cancel almost exactly
            assertClose(expected, dot[s], Math.abs(expected) + 1e-7 * magnitude, "dot[" + s + "]");
            if (perSample > 0) {
                assertTrue(dot[s] != 0, "dot[" + s + "] not written (seed " + seed + ")");
            }
        }
    }

    @Test
    void shapeMistakesFailInJava() {
        try (DeviceBuffer x = context.allocate(12L * Float.BYTES); DeviceBuffer y = context.allocate(12L * Float.BYTES);
             DeviceBuffer scale = context.allocate(2L * Float.BYTES)) {
            assertThrows(IllegalArgumentException.class,
                    () -> GatedAccumulate.scaleAddPerSample(context, x, scale, y, 3, 4));
            assertThrows(IllegalArgumentException.class,
                    () -> GatedAccumulate.scaleAddPerSample(context, x, scale, y, 2, 5));
            assertThrows(IllegalArgumentException.class, () -> x.upload(new float[11]));
        }
    }

    @Test
    void poolAccountsForLiveBuffers() {
        long before = context.poolUsedBytes();
        try (DeviceBuffer ignored = context.allocate(1 << 20)) {
            context.synchronize();
            assertTrue(context.poolUsedBytes() >= before + (1 << 20), "pool usage " + context.poolUsedBytes());
        }
    }
}
