package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spidernet.backend.Backend;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

/**
 * The CUDA backend against the float64 reference at the sizes training uses (32 x 32 planes,
 * thousands of elements per reduction), where the kernels' multi-block paths run: several dot
 * blocks per sample, BatchNorm channels longer than a block, filter gradients reduced over many
 * (n, oh, ow). The contract test covers the conventions on small odd shapes; this one covers
 * the launch shapes. Fresh random inputs, float32-exact on both sides; the seed is in every message.
 *
 * <p>Tolerance: |cuda - ref| &lt;= 1e-4 * |ref| + 1e-4 * max|ref| per tensor (see
 * {@link CudaBackendContractTest} for the reasoning; the longest float32 sums here are the 1x1
 * convolution's 64 channels and the 5x5 windows, float64 elsewhere). Skipped without a usable device.
 */
class CudaBackendAtScaleTest extends CudaAgainstReference {
    private static final double TOLERANCE = 1e-4;

    @Override
    void beforeCudaCloses() {
        assertEquals(0, countOpen(), "tensors left open");
    }

    private long countOpen() {
        return cuda.memory().liveTensors();
    }

    /** One tensor on both backends with identical float32-exact contents. */
    private record Pair(Tensor cuda, Tensor reference, double[] initial) implements AutoCloseable {
        @Override
        public void close() {
            cuda.close();
            reference.close();
        }
    }

    private Pair pair(int... shape) {
        double[] values = new double[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return pair(values, shape);
    }

    private Pair pair(double[] values, int... shape) {
        Tensor c = cuda.allocate(shape);
        Tensor r = reference.allocate(shape);
        cuda.upload(c, values);
        reference.upload(r, values);
        return new Pair(c, r, values);
    }

    private void run(BiConsumer<Backend, Boolean> op) {
        op.accept(cuda, true);
        op.accept(reference, false);
    }

    private static Tensor of(Pair p, boolean onCuda) {
        return onCuda ? p.cuda() : p.reference();
    }

    /** Compares contents and asserts the reference changed the tensor (an unwritten output cannot pass). */
    private void assertMatches(String what, Pair p) {
        double[] ref = reference.download(p.reference());
        double[] got = cuda.download(p.cuda());
        boolean changed = false;
        double scale = 0;
        for (int i = 0; i < ref.length; i++) {
            changed |= ref[i] != p.initial()[i];
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        assertTrue(changed && scale > 0, what + ": the reference left the tensor unchanged (seed " + seed + ")");
        for (int i = 0; i < ref.length; i++) {
            double tolerance = TOLERANCE * Math.abs(ref[i]) + TOLERANCE * scale;
            if (!(Math.abs(got[i] - ref[i]) <= tolerance)) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + ref[i]
                        + " (tolerance " + tolerance + ", seed " + seed + ")");
            }
        }
    }

    static Stream<Arguments> convolutions() {
        List<Arguments> cases = new ArrayList<>();
        // the search space's depthwise shapes at 32x32 and 16x16, padding as the space sets it
        for (int k : new int[] {3, 5}) {
            for (int d : new int[] {1, 2}) {
                for (int s : new int[] {1, 2}) {
                    int p = Math.floorDiv(k * d - d + 1 - s + 1, 2);
                    cases.add(Arguments.of("depthwise " + k + "x" + k + " d" + d + " s" + s, 4, 16, 16, 32,
                            new ConvGeometry(k, s, p, d, 16)));
                }
            }
        }
        cases.add(Arguments.of("pointwise 64->64", 4, 64, 64, 16, ConvGeometry.dense(1, 1, 0)));
        cases.add(Arguments.of("pointwise 32->64 stride 2", 4, 32, 64, 16, ConvGeometry.dense(1, 2, 0)));
        cases.add(Arguments.of("stem 3->16 3x3", 4, 3, 16, 32, ConvGeometry.dense(3, 1, 1)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    void convolution(String name, int n, int cin, int cout, int size, ConvGeometry g) {
        int out = g.outSize(size);
        try (Pair x = pair(n, cin, size, size); Pair w = pair(cout, cin / g.groups(), g.kernel(), g.kernel());
             Pair y = pair(n, cout, out, out); Pair dy = pair(n, cout, out, out); Pair dx = pair(n, cin, size, size);
             Pair dw = pair(cout, cin / g.groups(), g.kernel(), g.kernel())) {
            run((b, c) -> b.conv2d(of(x, c), of(w, c), of(y, c), g));
            run((b, c) -> b.conv2dBackwardData(of(dy, c), of(w, c), of(dx, c), g));
            run((b, c) -> b.conv2dBackwardFilter(of(x, c), of(dy, c), of(dw, c), g));
            assertMatches(name + " forward", y);
            assertMatches(name + " backward data", dx);
            assertMatches(name + " backward filter", dw);
        }
    }

    @Test
    void batchNormOverLongChannels() {
        int n = 16;
        int c = 8;
        int h = 32;
        double[] xs = new double[n * c * h * h];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (3.0 + 0.5 * random.nextGaussian());  // a mean far from zero tests the two-pass variance
        }
        double[] ones = new double[c];
        java.util.Arrays.fill(ones, 1.0);
        try (Pair x = pair(xs, n, c, h, h); Pair gamma = pair(c); Pair beta = pair(c); Pair y = pair(n, c, h, h);
             Pair mean = pair(c); Pair invStd = pair(c); Pair runMean = pair(c); Pair runVar = pair(ones, c);
             Pair dy = pair(n, c, h, h); Pair dx = pair(n, c, h, h); Pair dGamma = pair(c); Pair dBeta = pair(c);
             Pair evalY = pair(n, c, h, h)) {
            run((b, k) -> b.batchNormTrain(of(x, k), of(gamma, k), of(beta, k), of(y, k), of(mean, k), of(invStd, k),
                    of(runMean, k), of(runVar, k), 0.1, 1e-5));
            assertMatches("train y", y);
            assertMatches("saveMean", mean);
            assertMatches("saveInvStd", invStd);
            assertMatches("runMean", runMean);
            assertMatches("runVar", runVar);
            run((b, k) -> b.batchNormBackward(of(x, k), of(dy, k), of(gamma, k), of(mean, k), of(invStd, k),
                    of(dx, k), of(dGamma, k), of(dBeta, k)));
            assertMatches("backward dx", dx);
            assertMatches("backward dGamma", dGamma);
            assertMatches("backward dBeta", dBeta);
            run((b, k) -> b.batchNormEval(of(x, k), of(gamma, k), of(beta, k), of(runMean, k), of(runVar, k),
                    of(evalY, k), 1e-5));
            assertMatches("eval y", evalY);
        }
    }

    @Test
    void poolingAndResamplingAt32x32() {
        int n = 8;
        int c = 16;
        for (int stride : new int[] {1, 2}) {
            PoolGeometry g = new PoolGeometry(3, stride, 1);
            int out = g.outSize(32);
            // few distinct values: max windows tie often, so the first-maximum rule is exercised
            double[] xs = new double[n * c * 32 * 32];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = random.nextInt(5) - 2;
            }
            try (Pair x = pair(xs, n, c, 32, 32); Pair maxY = pair(n, c, out, out); Pair avgY = pair(n, c, out, out);
                 Pair dy = pair(n, c, out, out); Pair maxDx = pair(n, c, 32, 32); Pair avgDx = pair(n, c, 32, 32)) {
                run((b, k) -> b.maxPool(of(x, k), of(maxY, k), g));
                run((b, k) -> b.avgPool(of(x, k), of(avgY, k), g));
                run((b, k) -> b.maxPoolBackward(of(x, k), of(dy, k), of(maxDx, k), g));
                run((b, k) -> b.avgPoolBackward(of(dy, k), of(avgDx, k), g));
                assertMatches("max pool stride " + stride, maxY);
                assertMatches("avg pool stride " + stride, avgY);
                assertMatches("max pool backward stride " + stride, maxDx);
                assertMatches("avg pool backward stride " + stride, avgDx);
            }
        }
        try (Pair x = pair(n, c, 32, 32); Pair y = pair(n, c, 16, 16); Pair dy = pair(n, c, 16, 16);
             Pair dx = pair(n, c, 32, 32); Pair g = pair(n, c); Pair dg = pair(n, c); Pair gdx = pair(n, c, 32, 32)) {
            run((b, k) -> b.subsample(of(x, k), of(y, k), 2));
            run((b, k) -> b.subsampleBackward(of(dy, k), of(dx, k), 2));
            run((b, k) -> b.globalAvgPool(of(x, k), of(g, k)));
            run((b, k) -> b.globalAvgPoolBackward(of(dg, k), of(gdx, k)));
            assertMatches("subsample", y);
            assertMatches("subsample backward", dx);
            assertMatches("global average pool", g);
            assertMatches("global average pool backward", gdx);
        }
    }

    @Test
    void perSampleOpsOverWholeActivations() {
        int n = 64;
        int[] shape = {n, 16, 32, 32};  // 16,384 elements per sample: 8 dot blocks per sample
        double[] masks = new double[2 * n];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = i % 5 == 0 ? 0.0 : (float) random.nextGaussian();  // some dropped paths
        }
        try (Pair a = pair(shape); Pair b = pair(shape); Pair y = pair(shape); Pair factors = pair(masks, 2, n)) {
            run((be, k) -> be.scaleAddPerSample(of(a, k), of(factors, k), 1, 1 / 0.8, of(y, k)));
            assertMatches("scaleAddPerSample", y);
            double[] ref = reference.dotPerSample(a.reference(), b.reference());
            double[] got = cuda.dotPerSample(a.cuda(), b.cuda());
            double refDot = reference.dot(a.reference(), b.reference());
            double gotDot = cuda.dot(a.cuda(), b.cuda());
            int per = 16 * 32 * 32;
            double scaleSum = 0;
            for (int s = 0; s < n; s++) {
                double magnitude = 0;
                for (int i = s * per; i < (s + 1) * per; i++) {
                    magnitude += Math.abs(a.initial()[i] * b.initial()[i]);
                }
                scaleSum += magnitude;
                // float32 products are exact in float64 and both sides sum in float64, in different orders:
                // the worst case is (terms * 2^-53) of the magnitudes, under 2e-12 for 16,384 terms
                assertEquals(ref[s], got[s], 1e-10 * magnitude, "dotPerSample[" + s + "], seed " + seed);
            }
            assertEquals(refDot, gotDot, 1e-9 * scaleSum, "dot, seed " + seed);
        }
    }

    @Test
    void manySamplesReadTheirFactorsFromDeviceMemory() {
        int n = 701;  // more samples than the 512 the kernel parameters once carried, and than a warp's lanes
        double[] masks = new double[3 * n];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = random.nextInt(5) == 0 ? 0.0 : 1.0;
        }
        try (Pair x = pair(n, 3, 11); Pair y = pair(n, 3, 11); Pair dy = pair(n, 3, 11);
             Pair factors = pair(masks, 3, n); Pair grads = pair(4)) {
            run((be, k) -> be.scaleAddPerSample(of(x, k), of(factors, k), 2, 1 / 0.7, of(y, k)));
            assertMatches("scaleAddPerSample with " + n + " samples", y);
            run((be, k) -> be.gateGradient(of(dy, k), of(x, k), of(factors, k), 1 / 0.7, of(grads, k), 2));
            assertMatches("gateGradient with " + n + " samples", grads);
        }
    }

    @Test
    void synchronousModeGivesTheSameResults() {
        try (CudaBackend synchronous = CudaBackend.open(cuda.device(), true)) {
            int[] shape = {8, 16, 16, 16};
            double[] xs = new double[(int) Tensor.elementCount(shape)];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) random.nextGaussian();
            }
            ConvGeometry g = new ConvGeometry(5, 2, 4, 2, 16);
            int out = g.outSize(16);
            try (Tensor x = synchronous.allocate(shape); Tensor w = synchronous.allocate(16, 1, 5, 5);
                 Tensor y = synchronous.allocate(8, 16, out, out); Pair xPair = pair(xs, shape);
                 Pair wPair = pair(new double[16 * 25], 16, 1, 5, 5); Pair yPair = pair(8, 16, out, out)) {
                double[] ws = new double[16 * 25];
                for (int i = 0; i < ws.length; i++) {
                    ws[i] = (float) random.nextGaussian();
                }
                synchronous.upload(x, xs);
                synchronous.upload(w, ws);
                cuda.upload(wPair.cuda(), ws);
                synchronous.conv2d(x, w, y, g);
                cuda.conv2d(xPair.cuda(), wPair.cuda(), yPair.cuda(), g);
                // same kernels, same inputs: bit-identical whether or not each op waits
                org.junit.jupiter.api.Assertions.assertArrayEquals(cuda.download(yPair.cuda()), synchronous.download(y),
                        "seed " + seed);
            }
        }
    }

    @Test
    void headLossAndOptimiser() {
        int n = 64;
        int k = 256;
        int m = 10;
        try (Pair x = pair(n, k); Pair w = pair(m, k); Pair b = pair(m); Pair y = pair(n, m); Pair dy = pair(n, m);
             Pair dx = pair(n, k); Pair dw = pair(m, k); Pair db = pair(m); Pair dLogits = pair(n, m);
             Pair param = pair(m, k); Pair velocity = pair(m, k)) {
            run((be, c) -> be.linear(of(x, c), of(w, c), of(b, c), of(y, c)));
            run((be, c) -> be.linearBackward(of(x, c), of(w, c), of(dy, c), of(dx, c), of(dw, c), of(db, c)));
            assertMatches("linear", y);
            assertMatches("linear dx", dx);
            assertMatches("linear dw", dw);
            assertMatches("linear db", db);
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = random.nextInt(m);
            }
            try (Pair labelPair = pair(labels, n); Pair loss = pair(new double[] {0.25}, 1)) {
                run((be, c) -> be.softmaxCrossEntropy(of(y, c), of(labelPair, c), of(dLogits, c), of(loss, c), 0.4));
                double refLoss = reference.download(loss.reference())[0];
                double gotLoss = cuda.download(loss.cuda())[0];
                assertTrue(refLoss > 0.25, "the loss was added, seed " + seed);
                assertEquals(refLoss, gotLoss, TOLERANCE * (1 + refLoss), "loss, seed " + seed);
            }
            assertMatches("dLogits", dLogits);
            for (int step = 0; step < 3; step++) {
                run((be, c) -> be.sgdMomentum(of(param, c), of(dw, c), of(velocity, c), 0.05, 0.9, 3e-4));
            }
            assertMatches("sgd param", param);
            assertMatches("sgd velocity", velocity);
        }
    }

    @Test
    void closingTheBackendReleasesEverythingAndLaterUseFails() {
        CudaBackend second = CudaBackend.open(cuda.device(), false);
        Tensor kept = second.allocate(1024, 1024);
        Tensor other = second.allocate(1, 1024);
        second.scaleAddPerSample(kept, other, 0, 1.0, kept);
        assertEquals(2, second.memory().liveTensors());
        second.close();
        second.close();  // idempotent
        assertEquals(0, second.memory().bytesInUse());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> second.download(other));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> second.allocate(2));
        kept.close();  // a tensor outliving its backend closes quietly
        // a tensor of one backend is refused by another, naming the problem
        IllegalArgumentException foreign = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cuda.fill(reference.allocate(2), 1.0));
        assertTrue(foreign.getMessage().contains("another backend"), foreign.getMessage());
    }

    @Test
    void memoryIsCountedAndReleased() {
        MemoryStats before = cuda.memory();
        long poolBefore = cuda.poolUsedBytes();
        Tensor t = cuda.allocate(64, 64, 32, 32);
        long bytes = 64L * 64 * 32 * 32 * Float.BYTES;
        assertEquals(before.bytesInUse() + bytes, cuda.memory().bytesInUse());
        assertTrue(cuda.poolUsedBytes() >= poolBefore + bytes, "pool usage " + cuda.poolUsedBytes());
        assertEquals(0.0, cuda.download(t)[12345], "allocate zeroes");
        t.close();
        assertEquals(before.bytesInUse(), cuda.memory().bytesInUse());
        assertTrue(cuda.memory().peakBytes() >= before.bytesInUse() + bytes);
        assertTrue(cuda.poolUsedBytes() < poolBefore + bytes, "the pool got the tensor back");
        assertTrue(cuda.poolPeakBytes(false) >= poolBefore + bytes, "pool high-water " + cuda.poolPeakBytes(false));
        long reset = cuda.poolPeakBytes(true);
        assertTrue(reset >= poolBefore + bytes);
        assertTrue(cuda.poolPeakBytes(false) < poolBefore + bytes, "the reset high-water starts from the bytes in use");
    }
}
