package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spidernet.backend.Tensor;

/**
 * The sample-pair kernels (cuda-kernels/sign_agreement.cu, gram.cu) against the float64 reference
 * at the metrics' sizes, where their multi-tile and sliced paths run: NASWOT's 128 samples with
 * tens of thousands of ReLU units (many 16 x 16 tiles, thousands of code words), the NTK's 192
 * samples (12 tile rows, the Gram split into slices over the weights) and a small batch with a long
 * row (one tile, many slices). Fresh random inputs, float32-exact on both sides; the seed is in every
 * message. The contract test covers the conventions on small odd shapes.
 *
 * <p>Tolerances: agreement counts are integers below 2^24, so they must match exactly; the Gram
 * matrix is summed in float64 on both sides from the same products, so it must match within
 * 1e-12 of the sum of the terms' magnitudes. Skipped without a usable device.
 */
class CudaSamplePairsTest extends CudaAgainstReference {

    /** Gaussian values rounded to float32, about a fifth of them exactly 0 (ReLU inputs of pruned or dead units). */
    private double[] values(int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = random.nextInt(5) == 0 ? 0.0 : (float) random.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest(name = "N {0}, D {1}")
    @CsvSource({"128, 40001", "16, 100003", "47, 96"})
    void signAgreementMatchesTheReferenceExactly(int n, int d) {
        double[] x = values(n * d);
        double[] start = new double[n * n];
        for (int i = 0; i < start.length; i++) {
            start[i] = random.nextInt(1000);
        }
        try (Tensor cx = cuda.allocate(n, d); Tensor ck = cuda.allocate(n, n);
             Tensor rx = reference.allocate(n, d); Tensor rk = reference.allocate(n, n)) {
            cuda.upload(cx, x);
            cuda.upload(ck, start);
            reference.upload(rx, x);
            reference.upload(rk, start);
            cuda.signAgreement(cx, ck);
            reference.signAgreement(rx, rk);
            double[] expected = reference.download(rk);
            double[] actual = cuda.download(ck);
            for (int e = 0; e < expected.length; e++) {
                assertTrue(expected[e] > start[e], "reference left k[" + e + "] unchanged (seed " + seed + "L)");
                assertEquals(expected[e], actual[e], 0.0, "k[" + e / n + "][" + e % n + "] (seed " + seed + "L)");
            }
        }
    }

    @ParameterizedTest(name = "N {0}, D {1}")
    @CsvSource({"192, 30011", "16, 100003", "33, 4095"})
    void gramMatchesTheReferenceInFloat64(int n, int d) {
        double[] a = new double[n * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        double[] expected;
        double[] actual;
        try (Tensor ca = cuda.allocate(n, d); Tensor ra = reference.allocate(n, d)) {
            cuda.upload(ca, a);
            reference.upload(ra, a);
            expected = reference.gram(ra);
            actual = cuda.gram(ca);
        }
        assertEquals(n * n, actual.length);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double magnitude = 0;
                for (int t = 0; t < d; t++) {
                    magnitude += Math.abs(a[i * d + t] * a[j * d + t]);
                }
                double diff = Math.abs(actual[i * n + j] - expected[i * n + j]);
                assertTrue(diff <= 1e-12 * magnitude, "G[" + i + "][" + j + "] " + actual[i * n + j] + " vs "
                        + expected[i * n + j] + " (seed " + seed + "L)");
            }
        }
    }
}
