package org.spidernet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;

/**
 * The cpu backend's float32 softmax cross-entropy against the float64 reference backend on the
 * same float32 logits, fresh random ones each run (the seed is in every failure message): plain
 * logits, logits of +-80 (e^160 overflows float32 without the max shift), a label whose softmax
 * underflows to zero in float32, batch 1, one class and 1000 classes.
 *
 * <p>Tolerance, from float32 rounding (u = 2^-24, the unit roundoff) worked through the cpu
 * code, with C classes. Each exponential of a shifted logit t = z - max &lt;= 0 carries the
 * rounding of t (at most u|t|, relative in exp) and of exp (u). The row sum's relative error is
 * then at most u (1 + the softmax-weighted mean of |t|), and that mean is at most about 1 + ln C;
 * its float32 copy, the reciprocal and the product add u each. As p|t| = |t| e^t &lt;= 1/e,
 * |p - p_ref| &lt;= u/e + u (6 + ln C) p. p - target rounds once (exact near 1, Sterbenz), the
 * scale/batch factor and the product once each: |dLogits - ref| &lt;= u (10 + ln C) |scale| / batch.
 * The row loss log(sum) + (max - z[label]): the sum's error and the log's rounding give
 * u (3 + ln C) + u log(sum), the shifted label logit u (max - z[label]), the difference u L_n,
 * each part at most L_n; the float64 mean keeps the bound and the float32 result adds u |result|:
 * |loss - ref| &lt;= |scale| u (3 + ln C + 4 mean L_n). The test allows twice each bound.
 */
class CpuLossTest {
    private static final double U = Math.ulp(1.0f) / 2;

    private static CpuBackend cpu;
    private static ReferenceBackend reference;
    private long seed;
    private Random rnd;

    @BeforeAll
    static void open() {
        cpu = new CpuBackend(2);
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void close() {
        cpu.close();
        reference.close();
    }

    @BeforeEach
    void seed() {
        seed = System.nanoTime();
        rnd = new Random(seed);
    }

    @Test
    void ordinaryLogits() {
        int batch = 16;
        int classes = 10;
        float[] z = new float[batch * classes];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (3 * rnd.nextGaussian());
        }
        compare("ordinary", batch, classes, z, randomLabels(batch, classes));
    }

    @Test
    void logitsOfPlusMinusEighty() {
        int batch = 8;
        int classes = 12;
        float[] z = new float[batch * classes];
        for (int i = 0; i < z.length; i++) {
            int pick = rnd.nextInt(3);
            z[i] = pick == 0 ? 80f : pick == 1 ? -80f : (float) (160 * rnd.nextDouble() - 80);
        }
        compare("+-80", batch, classes, z, randomLabels(batch, classes));
    }

    @Test
    void labelWhoseSoftmaxUnderflows() {
        int batch = 4;
        int classes = 5;
        float[] z = new float[batch * classes];
        int[] labels = randomLabels(batch, classes);
        for (int n = 0; n < batch; n++) {
            for (int m = 0; m < classes; m++) {
                z[n * classes + m] = (float) (rnd.nextDouble() - 0.5);
            }
            // softmax[label] ~ e^-160 ~ 3e-70: zero in float32, not in float64
            z[n * classes + labels[n]] = -80f;
            z[n * classes + (labels[n] + 1) % classes] = 80f;
        }
        compare("underflowing label", batch, classes, z, labels);
    }

    @Test
    void batchOfOne() {
        float[] z = new float[7];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (5 * rnd.nextGaussian());
        }
        compare("batch 1", 1, 7, z, randomLabels(1, 7));
    }

    @Test
    void oneClass() {
        int batch = 5;
        float[] z = new float[batch];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (50 * rnd.nextGaussian());
        }
        compare("one class", batch, 1, z, new int[batch]);
    }

    @Test
    void manyClasses() {
        int batch = 6;
        int classes = 1000;
        float[] z = new float[batch * classes];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (10 * rnd.nextGaussian());
        }
        compare("1000 classes", batch, classes, z, randomLabels(batch, classes));
    }

    private int[] randomLabels(int batch, int classes) {
        int[] labels = new int[batch];
        for (int n = 0; n < batch; n++) {
            labels[n] = rnd.nextInt(classes);
        }
        return labels;
    }

    /** Runs the loss on both backends from zeroed dLogits and loss, with a random scale, and compares. */
    private void compare(String what, int batch, int classes, float[] z, int[] labels) {
        double scale = 0.25 + 2 * rnd.nextDouble();
        float[] labelValues = new float[batch];
        for (int n = 0; n < batch; n++) {
            labelValues[n] = labels[n];
        }
        double[][] want = run(reference, batch, classes, z, labelValues, scale);
        double[][] got = run(cpu, batch, classes, z, labelValues, scale);
        String context = what + " (seed " + seed + ", batch " + batch + ", classes " + classes + ", scale " + scale
                + ")";
        double gradTol = 2 * U * (10 + Math.log(classes)) * scale / batch;
        for (int i = 0; i < want[0].length; i++) {
            double err = Math.abs(got[0][i] - want[0][i]);
            assertTrue(err <= gradTol, context + ": dLogits[" + i + "] = " + got[0][i] + ", reference " + want[0][i]
                    + ", error " + err + " > " + gradTol);
        }
        double meanLoss = want[1][0] / scale;
        double lossTol = 2 * scale * U * (3 + Math.log(classes) + 4 * meanLoss);
        double err = Math.abs(got[1][0] - want[1][0]);
        assertTrue(Double.isFinite(got[1][0]), context + ": loss " + got[1][0] + " is not finite");
        assertTrue(err <= lossTol, context + ": loss " + got[1][0] + ", reference " + want[1][0] + ", error " + err
                + " > " + lossTol);
    }

    /** {dLogits, loss} after one call on {@code b}. */
    private static double[][] run(Backend b, int batch, int classes, float[] z, float[] labels, double scale) {
        try (Tensor logits = b.allocate(batch, classes);
             Tensor lt = b.allocate(batch);
             Tensor dLogits = b.allocate(batch, classes);
             Tensor loss = b.allocate(1)) {
            b.upload(logits, z);
            b.upload(lt, labels);
            b.softmaxCrossEntropy(logits, lt, dLogits, loss, scale);
            return new double[][] {b.download(dLogits), b.download(loss)};
        }
    }
}
