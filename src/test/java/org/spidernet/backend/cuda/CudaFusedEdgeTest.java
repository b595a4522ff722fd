package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * The fused edge kernels (all ops of one edge in one pass) against float64 loops and against the
 * per-op kernels they replace, on fresh random inputs. Skipped without a usable CUDA device.
 *
 * <p>Tolerance: forward 1e-5 relative to each element's magnitude sum (float32 FMAs, ops summed
 * in order); the gate dots are float64 sums of exact float32 products, 1e-10 of the magnitudes.
 */
class CudaFusedEdgeTest {
    private static final int SAMPLES = 5;
    private static final int OPS = 7;

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

    private float[] randomNonZero(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = (float) random.nextGaussian();
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

    private void close(DeviceBuffer... buffers) {
        for (DeviceBuffer b : buffers) {
            if (b != null) {
                b.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 777, 16_384})
    void forwardMatchesFloat64AndIsBitIdenticalToPerOpCalls(int perSample) {
        int n = SAMPLES * perSample;
        float[][] x = new float[OPS][];
        DeviceBuffer[] dX = new DeviceBuffer[OPS];
        for (int j = 0; j < OPS; j++) {
            x[j] = randomNonZero(n);
            dX[j] = upload(x[j]);
        }
        float[] scale = randomNonZero(OPS * SAMPLES);
        scale[2 * SAMPLES + 1] = 0f;  // a dropped path
        float[] y0 = randomNonZero(n);
        DeviceBuffer dScale = upload(scale);
        DeviceBuffer fused = upload(y0);
        DeviceBuffer perOp = upload(y0);
        DeviceBuffer[] opScale = new DeviceBuffer[OPS];
        try {
            GatedAccumulate.edgeForward(context, dX, dScale, fused, SAMPLES, perSample);
            for (int j = 0; j < OPS; j++) {
                float[] s = new float[SAMPLES];
                System.arraycopy(scale, j * SAMPLES, s, 0, SAMPLES);
                opScale[j] = upload(s);
                GatedAccumulate.scaleAddPerSample(context, dX[j], opScale[j], perOp, SAMPLES, perSample);
            }
            float[] got = fused.downloadFloats();
            assertArrayEquals(perOp.downloadFloats(), got, 0f, "fused and per-op results differ (seed " + seed + ")");
            for (int s = 0; s < SAMPLES; s++) {
                for (int i = 0; i < perSample; i++) {
                    int k = s * perSample + i;
                    double want = y0[k];
                    double magnitude = Math.abs(y0[k]);
                    for (int j = 0; j < OPS; j++) {
                        want += (double) scale[j * SAMPLES + s] * x[j][k];
                        magnitude += Math.abs((double) scale[j * SAMPLES + s] * x[j][k]);
                    }
                    if (!(Math.abs(got[k] - want) <= 1e-5 * magnitude)) {
                        fail("y[" + s + ", " + i + "] = " + got[k] + ", expected " + want + " (seed " + seed + ")");
                    }
                }
            }
        } finally {
            close(dX);
            close(opScale);
            close(dScale, fused, perOp);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 777, 16_384})
    void backwardGivesEveryGateItsDotAndEveryOpenOpItsGradient(int perSample) {
        int n = SAMPLES * perSample;
        float[] dy = randomNonZero(n);
        float[][] x = new float[OPS][];
        float[][] dx0 = new float[OPS][];
        DeviceBuffer[] dX = new DeviceBuffer[OPS];
        DeviceBuffer[] dDx = new DeviceBuffer[OPS];
        for (int j = 0; j < OPS; j++) {
            x[j] = randomNonZero(n);
            dX[j] = upload(x[j]);
            dx0[j] = randomNonZero(n);
            dDx[j] = j == 3 ? null : upload(dx0[j]);  // op 3 is closed: no gradient, but its gate still gets one
        }
        float[] scale = randomNonZero(OPS * SAMPLES);
        DeviceBuffer dDy = upload(dy);
        DeviceBuffer dScale = upload(scale);
        try {
            double[] dots = GatedAccumulate.edgeBackward(context, dDy, dX, dScale, dDx, SAMPLES, perSample);
            assertEquals(OPS * SAMPLES, dots.length);
            for (int j = 0; j < OPS; j++) {
                for (int s = 0; s < SAMPLES; s++) {
                    double want = 0;
                    double magnitude = 0;
                    for (int i = s * perSample; i < (s + 1) * perSample; i++) {
                        want += (double) dy[i] * x[j][i];
                        magnitude += Math.abs((double) dy[i] * x[j][i]);
                    }
                    assertEquals(want, dots[j * SAMPLES + s], 1e-10 * magnitude,
                            "dot[" + j + ", " + s + "] (seed " + seed + ")");
                }
                if (dDx[j] == null) {
                    continue;
                }
                float[] got = dDx[j].downloadFloats();
                for (int s = 0; s < SAMPLES; s++) {
                    for (int i = s * perSample; i < (s + 1) * perSample; i++) {
                        double want = dx0[j][i] + (double) scale[j * SAMPLES + s] * dy[i];
                        double tol = 1e-6 * (Math.abs(dx0[j][i]) + Math.abs((double) scale[j * SAMPLES + s] * dy[i]));
                        if (!(Math.abs(got[i] - want) <= tol)) {
                            fail("dx[" + j + "][" + i + "] = " + got[i] + ", expected " + want + " (seed " + seed + ")");
                        }
                    }
                }
            }
        } finally {
            close(dX);
            close(dDx);
            close(dDy, dScale);
        }
    }

    @Test
    void tooManyOpsFailInJava() {
        try (DeviceBuffer y = context.allocate(4L * Float.BYTES); DeviceBuffer s = context.allocate(9L * Float.BYTES)) {
            DeviceBuffer[] nine = new DeviceBuffer[9];
            java.util.Arrays.fill(nine, y);
            assertThrows(IllegalArgumentException.class, () -> GatedAccumulate.edgeForward(context, nine, s, y, 1, 4));
        }
    }
}
