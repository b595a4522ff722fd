package org.spidernet.backend;

import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.ConvGeometry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.spidernet.backend.reference.ReferenceBackend;

/**
 * The backend contract, checked op by op against the float64 {@link ReferenceBackend}. A
 * backend's test class extends this and says how to open the backend and how close its results
 * must be.
 *
 * <p>Every op gets fresh random inputs (the seed comes from {@link System#nanoTime()} and is in
 * every failure message) in the shapes the search space uses, runs on both backends, and every
 * result is compared: forward outputs, every gradient, returned values (dot products, the loss)
 * and running statistics. Forward outputs start out holding random junk, so an op that
 * accumulates instead of overwriting fails; gradients start out holding random values, so an
 * op that overwrites instead of accumulating fails. Before comparing, the test asserts that
 * the reference wrote something non-zero (for gradients and running statistics: that it changed
 * the tensor), so an unwritten output cannot pass by matching an unwritten reference.
 *
 * <p>Inputs are rounded to float32 before they are uploaded to either backend, so a float32
 * backend and the reference see identical inputs and the comparison measures only arithmetic
 * error. An element passes when {@code |actual - ref| <= atol + rtol * |ref|} with
 * {@code rtol = tolerance()} and {@code atol = tolerance() * scale}, where scale is the largest
 * |ref| of the tensor (sums with cancellation can be small relative to their terms; their
 * absolute error scales with the tensor's magnitude, not with the element's).
 */
public abstract class BackendContractTest {

    /** Opens the backend under test; called before every test and closed after it. */
    protected abstract Backend openBackend();

    /** Relative tolerance rtol (also scales atol, see the class comment): e.g. 1e-12 for float64, 1e-4 for float32. */
    protected abstract double tolerance();

    /** Which of the two backends an op call is running on. */
    private enum Side {
        TEST, REFERENCE;

        Tensor of(Twin t) {
            return this == TEST ? t.test() : t.reference();
        }
    }

    /** The same tensor (shape and initial contents) on the backend under test and on the reference. */
    private record Twin(Tensor test, Tensor reference, int[] shape) {
        int size() {
            return (int) Tensor.elementCount(shape);
        }
    }

    /** An op call, written once and run on both backends. */
    @FunctionalInterface
    private interface Call<R> {
        R apply(Backend backend, Side side);
    }

    @FunctionalInterface
    private interface Action {
        void apply(Backend backend, Side side);
    }

    private Backend backend;
    private ReferenceBackend reference;
    private long seed;
    private Random random;

    @BeforeEach
    void openBackends() {
        backend = openBackend();
        assertNotNull(backend, "openBackend() returned null");
        reference = new ReferenceBackend();
        seed = System.nanoTime();
        random = new Random(seed);
    }

    @AfterEach
    void closeBackends() {
        if (backend != null) {
            backend.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    // ---------------------------------------------------------------- storage

    @Test
    void allocateUploadDownload() {
        Tensor t = backend.allocate(2, 3, 5);
        assertArrayEquals(new int[] {2, 3, 5}, t.shape());
        assertEquals(30, t.size());
        assertArrayEquals(new double[30], backend.download(t), "allocate must zero the tensor");
        double[] values = floats(30);
        backend.upload(t, values);
        // float-representable values survive a float32 backend exactly
        assertArrayEquals(values, backend.download(t), context("upload(double[])"));
        float[] asFloats = new float[30];
        for (int i = 0; i < 30; i++) {
            asFloats[i] = (float) -values[i];
        }
        backend.upload(t, asFloats);
        for (int i = 0; i < 30; i++) {
            assertEquals(-values[i], backend.download(t)[i], context("upload(float[]) element " + i));
        }
    }

    @Test
    void memoryAccountingFollowsAllocateAndClose() {
        int bpe = backend.bytesPerElement();
        assertTrue(bpe == 4 || bpe == 8, "bytesPerElement " + bpe);
        MemoryStats before = backend.memory();
        Tensor t = backend.allocate(3, 5, 7);
        MemoryStats during = backend.memory();
        assertEquals(before.bytesInUse() + 105L * bpe, during.bytesInUse(), "bytesInUse after allocate");
        assertEquals(before.liveTensors() + 1, during.liveTensors(), "liveTensors after allocate");
        assertTrue(during.peakBytes() >= during.bytesInUse(), "peak below bytes in use: " + during);
        t.close();
        t.close(); // idempotent
        MemoryStats after = backend.memory();
        assertEquals(before.bytesInUse(), after.bytesInUse(), "bytesInUse after close");
        assertEquals(before.liveTensors(), after.liveTensors(), "liveTensors after close");
        assertEquals(during.peakBytes(), after.peakBytes(), "close must not lower the peak");
        backend.resetPeak();
        assertEquals(after.bytesInUse(), backend.memory().peakBytes(), "resetPeak sets the peak to bytes in use");
    }

    @Test
    void shapeMismatchIsAnIllegalArgumentNamingTheShapes() {
        Tensor x = backend.allocate(2, 3, 5, 7);
        Tensor w = backend.allocate(4, 2, 3, 3);
        Tensor y = backend.allocate(2, 4, 5, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.conv2d(x, w, y, ConvGeometry.dense(3, 1, 1)));
        assertTrue(e.getMessage() != null && e.getMessage().contains("[4, 2, 3, 3]"),
                "message should name the weight shape [4, 2, 3, 3]: " + e.getMessage());
        Tensor a = backend.allocate(2, 5);
        Tensor lw = backend.allocate(3, 4);
        Tensor b = backend.allocate(3);
        Tensor out = backend.allocate(2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> backend.linear(a, lw, b, out));
        assertTrue(e.getMessage() != null && e.getMessage().contains("[2, 5]") && e.getMessage().contains("[3, 4]"),
                "message should name [2, 5] and [3, 4]: " + e.getMessage());
    }

    // ---------------------------------------------------------------- elementwise and reductions

    @Test
    void fillCopyAxpy() {
        Twin filled = random(3, 7);
        double value = floats(1)[0];
        run((b, s) -> b.fill(s.of(filled), value));
        assertWritten("fill", filled);

        Twin src = random(3, 7);
        Twin dst = random(21);
        run((b, s) -> b.copy(s.of(src), s.of(dst)));
        assertWritten("copy", dst);

        Twin x = random(2, 3, 5, 7);
        Twin y = random(2, 3, 5, 7);
        double[] before = referenceContents(y);
        double alpha = floats(1)[0];
        run((b, s) -> b.axpy(alpha, s.of(x), s.of(y)));
        assertUpdated("axpy", y, before);
    }

    @Test
    void copyIntoWritesOneSliceAndKeepsTheRest() {
        Twin src = random(3, 5);
        Twin dst = random(4, 7);
        double[] before = referenceContents(dst);
        run((b, s) -> b.copyInto(s.of(src), s.of(dst), 6));
        assertUpdated("copyInto", dst, before);
        double[] after = referenceContents(dst);
        double[] from = referenceContents(src);
        for (int i = 0; i < after.length; i++) {
            double expected = i >= 6 && i < 21 ? from[i - 6] : before[i];
            assertEquals(expected, after[i], context("reference copyInto element " + i));
        }
        double[] beforeEnd = referenceContents(dst);
        run((b, s) -> b.copyInto(s.of(src), s.of(dst), 13));  // the last slice that fits
        assertUpdated("copyInto at the end", dst, beforeEnd);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.copyInto(src.test(), dst.test(), 14));
        assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("[4, 7]"),
                "message should name src [3, 5] and dst [4, 7]: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.copyInto(src.test(), dst.test(), -1));
    }

    @Test
    void dotAndDotPerSample() {
        Twin a = random(3, 4, 5, 7);
        Twin b = random(3, 4, 5, 7);
        double[] av = referenceContents(a);
        double[] bv = referenceContents(b);
        double[] magnitude = new double[3];
        for (int i = 0; i < av.length; i++) {
            magnitude[i / (av.length / 3)] += Math.abs(av[i] * bv[i]);
        }
        double total = magnitude[0] + magnitude[1] + magnitude[2];
        double testDot = backend.dot(a.test(), b.test());
        double refDot = reference.dot(a.reference(), b.reference());
        assertScalar("dot", refDot, testDot, total);
        double[] testPer = backend.dotPerSample(a.test(), b.test());
        double[] refPer = reference.dotPerSample(a.reference(), b.reference());
        assertEquals(3, testPer.length, context("dotPerSample length"));
        for (int n = 0; n < 3; n++) {
            assertScalar("dotPerSample[" + n + "]", refPer[n], testPer[n], magnitude[n]);
        }
    }

    @Test
    void gateGradientAddsTheFactorWeightedPerSampleDotsIntoOneEntry() {
        Twin dy = random(3, 4, 5, 7);
        Twin x = random(3, 4, 5, 7);
        Twin grads = random(5);
        double[] before = referenceContents(grads);
        double[] factorValues = floats(5 * 3);
        factorValues[2 * 3 + 1] = 0; // a dropped path of gate 2
        Twin factors = twin(factorValues, 5, 3);
        double scale = 1 / 0.7; // 1 / keep is not a float32: the backends form scale * factor in float64
        run((b, s) -> b.gateGradient(s.of(dy), s.of(x), s.of(factors), scale, s.of(grads), 2));
        run((b, s) -> b.gateGradient(s.of(dy), s.of(x), s.of(factors), scale, s.of(grads), 2)); // accumulates
        run((b, s) -> b.gateGradient(s.of(x), s.of(x), s.of(factors), scale, s.of(grads), 4));
        assertUpdated("gateGradient", grads, before);
        // the definition, independently of dotPerSample: float64 sums over the float32 inputs
        double[] dv = referenceContents(dy);
        double[] xv = referenceContents(x);
        int per = dv.length / 3;
        double cross = 0;
        double square = 0;
        double crossMagnitude = 0;
        double squareMagnitude = 0;
        for (int i = 0; i < dv.length; i++) {
            double f2 = scale * factorValues[2 * 3 + i / per];
            double f4 = scale * factorValues[4 * 3 + i / per];
            cross += f2 * dv[i] * xv[i];
            square += f4 * xv[i] * xv[i];
            crossMagnitude += Math.abs(f2 * dv[i] * xv[i]);
            squareMagnitude += Math.abs(f4 * xv[i] * xv[i]);
        }
        // summation order differs from every backend's, so even float64 gets a 1e-12 relative allowance
        double tol = Math.max(tolerance(), 1e-12);
        double[] got = backend.download(grads.test());
        double scale2 = Math.abs(before[2]) + 2 * crossMagnitude;
        assertTrue(Math.abs(got[2] - (before[2] + 2 * cross)) <= tol * scale2,
                context("gateGradient[2]: " + got[2] + " vs " + (before[2] + 2 * cross)));
        double scale4 = Math.abs(before[4]) + squareMagnitude;
        assertTrue(Math.abs(got[4] - (before[4] + square)) <= tol * scale4,
                context("gateGradient[4]: " + got[4] + " vs " + (before[4] + square)));
        for (int i : new int[] {0, 1, 3}) {
            assertEquals(before[i], got[i], 0.0, context("gateGradient touched entry " + i));
        }
        Tensor sixRows = backend.allocate(6, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.gateGradient(dy.test(), x.test(), sixRows, scale, grads.test(), 5));
        assertTrue(e.getMessage().contains("gate 5") && e.getMessage().contains("[5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.gateGradient(dy.test(), x.test(), factors.test(), scale, grads.test(), -1));
        assertTrue(e.getMessage().contains("row -1") && e.getMessage().contains("[5, 3]"), e.getMessage());
        Tensor twoSamples = backend.allocate(5, 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.gateGradient(dy.test(), x.test(), twoSamples, scale, grads.test(), 0));
        assertTrue(e.getMessage().contains("[5, 2]") && e.getMessage().contains("[3, 4, 5, 7]"), e.getMessage());
    }

    @Test
    void gateGradientNamesItselfWhenDyAndXDisagree() {
        Tensor dy = backend.allocate(3, 4);
        Tensor x = backend.allocate(3, 5);
        Tensor factors = backend.allocate(2, 3);
        Tensor grads = backend.allocate(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.gateGradient(dy, x, factors, 1.0, grads, 0));
        assertTrue(e.getMessage().startsWith("gateGradient:"), context(e.getMessage()));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3, 5]"), context(e.getMessage()));
        e = assertThrows(IllegalArgumentException.class, () -> backend.dotPerSample(dy, x));
        assertTrue(e.getMessage().startsWith("dotPerSample:"), context(e.getMessage()));
    }

    @Test
    void scaleAddPerSample() {
        Twin x = random(3, 4, 5, 7);
        Twin y = random(3, 4, 5, 7);
        double[] before = referenceContents(y);
        double[] factorValues = floats(4 * 3);
        factorValues[3 + 1] = 0; // a dropped path in the row used
        Twin factors = twin(factorValues, 4, 3);
        double scale = 1 / 0.7;
        run((b, s) -> b.scaleAddPerSample(s.of(x), s.of(factors), 1, scale, s.of(y)));
        assertUpdated("scaleAddPerSample", y, before);
        // the definition: y[n] += (scale * factors[1, n]) * x[n], sample 1 untouched
        double[] after = referenceContents(y);
        double[] xv = referenceContents(x);
        int per = xv.length / 3;
        for (int i = 0; i < xv.length; i++) {
            double expected = before[i] + scale * factorValues[3 + i / per] * xv[i];
            assertEquals(expected, after[i], 1e-12 * (1 + Math.abs(expected)), context("reference element " + i));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.scaleAddPerSample(x.test(), factors.test(), 4, scale, y.test()));
        assertTrue(e.getMessage().contains("row 4") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    // ---------------------------------------------------------------- fused gated sums

    private static final int[] GATED_SHAPE = {3, 4, 5, 7};
    private static final int GATED_GATES = 13;

    /** Drop-path masks [gates, samples &gt;= 2]: 0 or 1, a 1 in every row (no gate's output is all dropped), a 0 in row 0. */
    private double[] masks(int gates, int samples) {
        double[] m = new double[gates * samples];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextInt(4) == 0 ? 0.0 : 1.0;
        }
        for (int g = 0; g < gates; g++) {
            m[g * samples + (g + 1) % samples] = 1.0;
        }
        m[0] = 0.0;
        return m;
    }

    /**
     * Eleven ops (more than one CUDA launch's eight), rows out of order with gaps and one repeated,
     * one x used by two ops, scales 1 / keep (not float32 values) and 1: {@code rows} and
     * {@code scales} of one node's gated sum and its backward.
     */
    private static final int[] GATED_ROWS = {0, 2, 3, 4, 7, 5, 6, 9, 10, 12, 2};

    private static double[] gatedScales(int ops) {
        double[] scales = new double[ops];
        for (int j = 0; j < ops; j++) {
            scales[j] = j % 3 == 0 ? 1.0 : 1 / (0.7 + 0.01 * j);
        }
        return scales;
    }

    private List<Twin> gatedInputs(int ops) {
        List<Twin> xs = new ArrayList<>();
        for (int j = 0; j < ops; j++) {
            xs.add(j == ops - 1 ? xs.get(3) : random(GATED_SHAPE));
        }
        return xs;
    }

    private static List<Tensor> on(Side side, List<Twin> twins) {
        return twins.stream().map(t -> t == null ? null : side.of(t)).toList();
    }

    /**
     * The fused forward equals one scaleAddPerSample per op on the same backend bit for bit, and
     * the reference within the tolerance; once with the ops of a general call (drop-path scales,
     * scattered rows), once with a node's ops all open and no drop-path (consecutive rows, scale 1,
     * which a CUDA backend reads from the factors in place).
     */
    @Test
    void gatedSumIsTheScaleAddLoopBitForBit() {
        int n = GATED_SHAPE[0];
        Twin factors = twin(masks(GATED_GATES, n), GATED_GATES, n);
        List<Twin> xs = gatedInputs(GATED_ROWS.length);
        double[] scales = gatedScales(GATED_ROWS.length);
        int[] consecutive = {4, 5, 6, 7, 8};
        double[] ones = {1.0, 1.0, 1.0, 1.0, 1.0};
        for (int[] rows : List.of(GATED_ROWS, consecutive)) {
            double[] sc = rows == GATED_ROWS ? scales : ones;
            List<Twin> x = xs.subList(0, rows.length);
            Twin y = random(GATED_SHAPE);
            double[] before = referenceContents(y);
            Tensor loop = copyOnTest(y);
            run((b, s) -> b.gatedSum(on(s, x), s.of(factors), rows, sc, s.of(y)));
            for (int j = 0; j < rows.length; j++) {
                backend.scaleAddPerSample(x.get(j).test(), factors.test(), rows[j], sc[j], loop);
            }
            String what = "gatedSum of rows " + Arrays.toString(rows);
            assertArrayEquals(backend.download(loop), backend.download(y.test()),
                    context(what + ": differs from one scaleAddPerSample per op on the same backend"));
            assertUpdated(what, y, before);
        }
    }

    /**
     * The fused backward equals gateGradient for every op and scaleAddPerSample for every op with a
     * gradient, in op order, on the same backend bit for bit (two closed ops without dx, one gate
     * with two ops), and the reference within the tolerance.
     */
    @Test
    void gatedSumBackwardIsThePerOpLoopBitForBit() {
        int n = GATED_SHAPE[0];
        int ops = GATED_ROWS.length;
        Twin factors = twin(masks(GATED_GATES, n), GATED_GATES, n);
        List<Twin> xs = gatedInputs(ops);
        double[] scales = gatedScales(ops);
        Twin dy = random(GATED_SHAPE);
        List<Twin> dxs = new ArrayList<>();
        List<Tensor> loopDxs = new ArrayList<>();
        List<double[]> dxBefore = new ArrayList<>();
        for (int j = 0; j < ops; j++) {
            Twin dx = j == 2 || j == 8 ? null : random(GATED_SHAPE);  // ops 2 and 8 are closed
            dxs.add(dx);
            loopDxs.add(dx == null ? null : copyOnTest(dx));
            dxBefore.add(dx == null ? null : referenceContents(dx));
        }
        Twin grads = random(GATED_GATES);
        double[] gradsBefore = referenceContents(grads);
        Tensor loopGrads = copyOnTest(grads);
        run((b, s) -> b.gatedSumBackward(s.of(dy), on(s, xs), s.of(factors), GATED_ROWS, scales, on(s, dxs),
                s.of(grads)));
        for (int j = 0; j < ops; j++) {
            backend.gateGradient(dy.test(), xs.get(j).test(), factors.test(), scales[j], loopGrads, GATED_ROWS[j]);
            if (loopDxs.get(j) != null) {
                backend.scaleAddPerSample(dy.test(), factors.test(), GATED_ROWS[j], scales[j], loopDxs.get(j));
            }
        }
        assertArrayEquals(backend.download(loopGrads), backend.download(grads.test()),
                context("gatedSumBackward gate gradients differ from the per-op loop on the same backend"));
        assertUpdated("gatedSumBackward gate gradients", grads, gradsBefore);
        for (int j = 0; j < ops; j++) {
            if (dxs.get(j) != null) {
                assertArrayEquals(backend.download(loopDxs.get(j)), backend.download(dxs.get(j).test()),
                        context("gatedSumBackward dxs[" + j + "] differs from the per-op loop on the same backend"));
                assertUpdated("gatedSumBackward dxs[" + j + "]", dxs.get(j), dxBefore.get(j));
            }
        }
    }

    /**
     * A captured step of both fused ops replays with the masks uploaded before each replay, and
     * each replay computes what the per-op loop computes after the same upload, bit for bit.
     */
    @Test
    void capturedGatedSumsReadTheMasksUploadedBeforeEachReplay() {
        int n = GATED_SHAPE[0];
        int ops = GATED_ROWS.length;
        Tensor factors = backend.allocate(GATED_GATES, n);
        List<Tensor> xs = on(Side.TEST, gatedInputs(ops));
        double[] scales = gatedScales(ops);
        Tensor dy = random(GATED_SHAPE).test();
        Tensor y = backend.allocate(GATED_SHAPE);
        Tensor loopY = backend.allocate(GATED_SHAPE);
        List<Tensor> dxs = new ArrayList<>();
        List<Tensor> loopDxs = new ArrayList<>();
        for (int j = 0; j < ops; j++) {
            dxs.add(j == 5 ? null : backend.allocate(GATED_SHAPE));
            loopDxs.add(j == 5 ? null : backend.allocate(GATED_SHAPE));
        }
        Tensor grads = backend.allocate(GATED_GATES);
        Tensor loopGrads = backend.allocate(GATED_GATES);
        try (CapturedStep step = backend.capture(() -> {
            backend.fill(y, 0.0);
            backend.gatedSum(xs, factors, GATED_ROWS, scales, y);
            backend.gatedSumBackward(dy, xs, factors, GATED_ROWS, scales, dxs, grads);
        })) {
            for (int replay = 0; replay < 3; replay++) {
                backend.upload(factors, masks(GATED_GATES, n));
                step.replay();
                backend.fill(loopY, 0.0);
                for (int j = 0; j < ops; j++) {
                    backend.scaleAddPerSample(xs.get(j), factors, GATED_ROWS[j], scales[j], loopY);
                }
                for (int j = 0; j < ops; j++) {
                    backend.gateGradient(dy, xs.get(j), factors, scales[j], loopGrads, GATED_ROWS[j]);
                    if (loopDxs.get(j) != null) {
                        backend.scaleAddPerSample(dy, factors, GATED_ROWS[j], scales[j], loopDxs.get(j));
                    }
                }
                String where = "replay " + replay;
                double[] got = backend.download(y);
                assertTrue(norm(got) > 0, context(where + ": the captured sum is all zero"));
                assertArrayEquals(backend.download(loopY), got, context(where + ": y"));
                assertArrayEquals(backend.download(loopGrads), backend.download(grads), context(where + ": gate gradients"));
                for (int j = 0; j < ops; j++) {
                    if (dxs.get(j) != null) {
                        assertArrayEquals(backend.download(loopDxs.get(j)), backend.download(dxs.get(j)),
                                context(where + ": dxs[" + j + "]"));
                    }
                }
            }
        }
    }

    /** No ops is a no-op on both fused calls. */
    @Test
    void gatedSumsOfNoOpsChangeNothing() {
        Twin y = random(GATED_SHAPE);
        Twin grads = random(GATED_GATES);
        Tensor factors = backend.allocate(GATED_GATES, GATED_SHAPE[0]);
        double[] yBefore = backend.download(y.test());
        double[] gradsBefore = backend.download(grads.test());
        backend.gatedSum(List.of(), factors, new int[0], new double[0], y.test());
        backend.gatedSumBackward(y.test(), List.of(), factors, new int[0], new double[0], List.of(), grads.test());
        assertArrayEquals(yBefore, backend.download(y.test()), context("y after a gated sum of no ops"));
        assertArrayEquals(gradsBefore, backend.download(grads.test()), context("gate gradients after no ops"));
    }

    /**
     * The fused ops read every input while they write their outputs (CUDA declares the pointers
     * {@code __restrict__}), so a written tensor that is also read, or written twice, is refused
     * with a message naming the op and both roles, before anything is written.
     */
    @Test
    void gatedSumsRefuseAliasedTensorsBeforeWritingAnything() {
        int[] shape = {2, 3};
        Tensor a = backend.allocate(shape), b = backend.allocate(shape), y = backend.allocate(shape);
        Tensor dy = backend.allocate(shape), dx0 = backend.allocate(shape), dx1 = backend.allocate(shape);
        Tensor factors = backend.allocate(2, 2);
        Tensor grads = backend.allocate(2);
        for (Tensor t : List.of(a, b, y, dy, dx0, dx1)) {
            backend.upload(t, floats(6));
        }
        backend.upload(factors, new double[] {1, 1, 1, 1});
        backend.upload(grads, floats(2));
        double[] yBefore = backend.download(y);
        double[] dx0Before = backend.download(dx0);
        double[] gradsBefore = backend.download(grads);
        int[] rows = {0, 1};
        double[] scales = {1.0, 1 / 0.7};
        assertAliasRefused("gatedSum", "y", "xs[1]",
                () -> backend.gatedSum(List.of(a, y), factors, rows, scales, y));
        Tensor square = backend.allocate(2, 2), x22 = backend.allocate(2, 2);
        assertAliasRefused("gatedSum", "y", "factors",
                () -> backend.gatedSum(List.of(x22), square, new int[] {0}, new double[] {1}, square));
        assertAliasRefused("gatedSumBackward", "dxs[0]", "dy",
                () -> backend.gatedSumBackward(dy, List.of(a, b), factors, rows, scales, Arrays.asList(dy, dx1), grads));
        assertAliasRefused("gatedSumBackward", "dxs[0]", "xs[1]",
                () -> backend.gatedSumBackward(dy, List.of(a, b), factors, rows, scales, Arrays.asList(b, dx1), grads));
        assertAliasRefused("gatedSumBackward", "dxs[1]", "xs[1]",
                () -> backend.gatedSumBackward(dy, List.of(a, b), factors, rows, scales, Arrays.asList(dx0, b), grads));
        assertAliasRefused("gatedSumBackward", "dxs[1]", "dxs[0]",
                () -> backend.gatedSumBackward(dy, List.of(a, b), factors, rows, scales, Arrays.asList(dx0, dx0), grads));
        // 1-D data [N] (one element per sample) can be mistaken for the [G] gate gradients
        Tensor dy1 = backend.allocate(2), x1 = backend.allocate(2), dx1d = backend.allocate(2);
        assertAliasRefused("gatedSumBackward", "gateGrads", "dy",
                () -> backend.gatedSumBackward(dy1, List.of(x1), factors, new int[] {0}, new double[] {1},
                        Arrays.asList(dx1d), dy1));
        assertAliasRefused("gatedSumBackward", "gateGrads", "dxs[0]",
                () -> backend.gatedSumBackward(dy1, List.of(x1), factors, new int[] {0}, new double[] {1},
                        Arrays.asList(dx1d), dx1d));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.gatedSum(List.of(a, b), factors, new int[] {0}, scales, y));
        assertTrue(e.getMessage().contains("one entry per op"), context(e.getMessage()));
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.gatedSum(List.of(a, backend.allocate(3, 2)), factors, rows, scales, y));
        assertTrue(e.getMessage().contains("xs[1] [3, 2]") && e.getMessage().contains("[2, 3]"), context(e.getMessage()));
        assertArrayEquals(yBefore, backend.download(y), context("a refused call wrote y"));
        assertArrayEquals(dx0Before, backend.download(dx0), context("a refused call wrote dx0"));
        assertArrayEquals(gradsBefore, backend.download(grads), context("a refused call wrote the gate gradients"));
        // reading one x twice, and a null dx (a closed op), are fine
        backend.gatedSum(List.of(a, a), factors, rows, scales, y);
        backend.gatedSumBackward(dy, List.of(a, a), factors, rows, scales, Arrays.asList(null, dx0), grads);
        assertTrue(!Arrays.equals(yBefore, backend.download(y)), context("the accepted gated sum left y unchanged"));
    }

    private void assertAliasRefused(String op, String written, String other, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run, context(op + " with "
                + written + " = " + other));
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ":") && m.contains(written) && m.contains(other) && m.contains("same tensor"),
                context("the message names the op and both tensors: " + m));
    }

    /**
     * Samples with no elements ([3, 0, 4]): the per-sample ops read nothing and add nothing (a dot
     * over no elements is 0), on every backend, with nothing refused.
     */
    @Test
    void perSampleOpsOverEmptySamplesAddNothing() {
        int[] shape = {3, 0, 4};
        Tensor x = backend.allocate(shape), dy = backend.allocate(shape), y = backend.allocate(shape);
        Tensor dx = backend.allocate(shape);
        Tensor factors = backend.allocate(2, 3);
        backend.upload(factors, new double[] {1, 0, 1, 1, 1, 0});
        Tensor grads = backend.allocate(2);
        double[] gradsBefore = floats(2);
        backend.upload(grads, gradsBefore);
        backend.gateGradient(dy, x, factors, 1 / 0.7, grads, 1);
        backend.scaleAddPerSample(x, factors, 0, 1 / 0.7, y);
        backend.gatedSum(List.of(x, x), factors, new int[] {0, 1}, new double[] {1, 1 / 0.7}, y);
        backend.gatedSumBackward(dy, List.of(x, x), factors, new int[] {0, 1}, new double[] {1, 1 / 0.7},
                Arrays.asList(dx, null), grads);
        assertArrayEquals(gradsBefore, backend.download(grads), context("gate gradients after empty samples"));
        assertArrayEquals(new double[3], backend.dotPerSample(dy, x), context("dotPerSample of empty samples"));
        assertArrayEquals(new double[9], backend.gram(x), context("gram of empty samples"));
        Tensor k = backend.allocate(3, 3);
        double[] counts = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        backend.upload(k, counts);
        backend.signAgreement(x, k);
        assertArrayEquals(counts, backend.download(k), context("signAgreement of empty samples"));
    }

    @Test
    void reluForwardAndBackward() {
        Twin x = random(2, 5, 7, 9);
        Twin y = random(2, 5, 7, 9);
        run((b, s) -> b.relu(s.of(x), s.of(y)));
        assertWritten("relu", y);

        Twin dy = random(2, 5, 7, 9);
        Twin dx = random(2, 5, 7, 9);
        double[] before = referenceContents(dx);
        run((b, s) -> b.reluBackward(s.of(x), s.of(dy), s.of(dx)));
        assertUpdated("reluBackward dx", dx, before);
    }

    /** ReLU at its edges, on every backend: NaN propagates, both zeroes map to a zero, dx grows only where x > 0. */
    @Test
    void reluAtZeroesAndNan() {
        double[] x = {0.0, -0.0, Double.NaN, 1.5, -2.5, Double.MIN_VALUE, -Double.MIN_VALUE};
        double[] dy = floats(x.length);
        double[] dx0 = floats(x.length);
        Tensor tx = backend.allocate(x.length), ty = backend.allocate(x.length);
        Tensor tdy = backend.allocate(x.length), tdx = backend.allocate(x.length);
        backend.upload(tx, x);
        backend.upload(tdy, dy);
        backend.upload(tdx, dx0);
        backend.relu(tx, ty);
        backend.reluBackward(tx, tdy, tdx);
        double[] y = backend.download(ty);
        double[] dx = backend.download(tdx);
        double[] xs = backend.download(tx); // as the backend stores it (float32 flushes MIN_VALUE to 0)
        assertTrue(Double.isNaN(y[2]), context("relu(NaN) must be NaN, got " + y[2]));
        for (int i = 0; i < x.length; i++) {
            if (i != 2) {
                assertEquals(Math.max(xs[i], 0.0), y[i], 0.0, context("relu(" + xs[i] + ")"));
            }
            double expected = dx0[i] + (xs[i] > 0 ? dy[i] : 0.0);
            assertEquals(expected, dx[i], 1e-6 * (1 + Math.abs(expected)), context("reluBackward dx[" + i + "] for x=" + xs[i]));
        }
    }

    // ---------------------------------------------------------------- sample-pair kernels

    /**
     * Sample shapes [N, ...] for the pair kernels: several N (across the CUDA kernels' 16-sample
     * tiles) and D (not multiples of 32 or 64, one above a 64-bit word boundary, one long enough
     * that the CUDA Gram kernel cuts it into slices).
     */
    static Stream<Arguments> pairShapes() {
        return Stream.of(Arguments.of((Object) new int[] {1, 5}), Arguments.of((Object) new int[] {3, 1}),
                Arguments.of((Object) new int[] {5, 130}), Arguments.of((Object) new int[] {17, 3, 7, 3}),
                Arguments.of((Object) new int[] {33, 2, 5, 10}), Arguments.of((Object) new int[] {6, 10007}));
    }

    /**
     * Counts are integers, exact on every backend at these sizes (float32 holds them below 2^24),
     * so the comparison is exact. Inputs mix negative values, exact zeros, -0 and NaN (all three
     * "not positive"), and k starts out holding random integer counts, so an op that overwrites
     * instead of accumulating fails.
     */
    @ParameterizedTest(name = "x {0}")
    @MethodSource("pairShapes")
    void signAgreementAccumulatesExactCounts(int[] shape) {
        int n = shape[0];
        double[] values = floats((int) Tensor.elementCount(shape));
        for (int i = 0; i < values.length; i++) {
            int pick = random.nextInt(10);
            if (pick < 2) {
                values[i] = 0.0;
            } else if (pick == 2) {
                values[i] = -0.0;
            } else if (pick == 3 && i % 7 == 0) {
                values[i] = Double.NaN;
            }
        }
        Twin x = twin(values, shape);
        double[] start = new double[n * n];
        for (int i = 0; i < start.length; i++) {
            start[i] = random.nextInt(1000);
        }
        Twin k = twin(start, n, n);
        run((b, s) -> b.signAgreement(s.of(x), s.of(k)));
        run((b, s) -> b.signAgreement(s.of(x), s.of(k)));  // twice: the second call must add again
        double[] ref = referenceContents(k);
        int d = values.length / n;
        for (int i = 0; i < n; i++) {
            assertEquals(start[i * n + i] + 2.0 * d, ref[i * n + i], context("reference k[" + i + "][" + i + "]"));
        }
        assertArrayEquals(ref, backend.download(k.test()), 0.0, context("signAgreement " + Arrays.toString(shape)));
    }

    /**
     * Every backend sums float64 products of the same float32-exact inputs, so only the order of
     * the float64 sum differs: tolerance 1e-12 times the sum of the terms' magnitudes.
     */
    @ParameterizedTest(name = "a {0}")
    @MethodSource("pairShapes")
    void gramMatchesTheReferenceInFloat64(int[] shape) {
        int n = shape[0];
        Twin a = random(shape);
        double[] av = referenceContents(a);
        int d = av.length / n;
        double[] ref = reference.gram(a.reference());
        double[] test = backend.gram(a.test());
        assertEquals(n * n, test.length, context("gram length"));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double magnitude = 0;
                for (int t = 0; t < d; t++) {
                    magnitude += Math.abs(av[i * d + t] * av[j * d + t]);
                }
                assertTrue(magnitude > 0, context("gram: all-zero rows would make the comparison vacuous"));
                double allowed = 1e-12 * magnitude;
                double diff = Math.abs(test[i * n + j] - ref[i * n + j]);
                assertTrue(diff <= allowed, context("gram[" + i + "][" + j + "] " + test[i * n + j] + " vs reference "
                        + ref[i * n + j] + ", allowed difference " + allowed));
            }
        }
    }

    @Test
    void pairKernelsNameTheShapesTheyReject() {
        Tensor x = backend.allocate(4, 3, 5);
        Tensor wrong = backend.allocate(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.signAgreement(x, wrong));
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[4, 3, 5]")
                && e.getMessage().contains("[4, 4]"), "message should name k [4, 5], x [4, 3, 5] and [4, 4]: "
                + e.getMessage());
        Tensor square = backend.allocate(4, 4);
        e = assertThrows(IllegalArgumentException.class, () -> backend.signAgreement(square, square));
        assertTrue(e.getMessage().contains("[4, 4]"), e.getMessage());
        Tensor scalar = backend.allocate();
        e = assertThrows(IllegalArgumentException.class, () -> backend.gram(scalar));
        assertTrue(e.getMessage().contains("gram") && e.getMessage().contains("[]"), e.getMessage());
    }

    // ---------------------------------------------------------------- convolution

    /** ceil((k*d - d + 1 - s) / 2): the search space's padding for kernel k, dilation d, stride s. */
    private static int searchSpacePadding(int k, int dilation, int stride) {
        return Math.floorDiv(k * dilation - dilation + 1 - stride + 1, 2);
    }

    /** (name, batch, inChannels, outChannels, height, width, geometry). */
    static Stream<Arguments> convolutions() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("stem dense 3x3", 2, 3, 8, 9, 11, ConvGeometry.dense(3, 1, 1)));
        cases.add(Arguments.of("dense 3x3 16->16", 2, 16, 16, 16, 16, ConvGeometry.dense(3, 1, 1)));
        cases.add(Arguments.of("dense 3x3 stride 2", 2, 4, 6, 9, 9, ConvGeometry.dense(3, 2, 1)));
        cases.add(Arguments.of("pointwise 1x1", 2, 6, 5, 7, 9, ConvGeometry.dense(1, 1, 0)));
        cases.add(Arguments.of("grouped 3x3 4->6 in 2 groups", 2, 4, 6, 7, 9, new ConvGeometry(3, 1, 1, 1, 2)));
        int channels = 5;
        for (int k : new int[] {3, 5}) {
            for (int d : new int[] {1, 2}) {
                for (int s : new int[] {1, 2}) {
                    int p = searchSpacePadding(k, d, s);
                    ConvGeometry g = new ConvGeometry(k, s, p, d, channels);
                    for (int[] hw : new int[][] {{9, 11}, {8, 8}}) {
                        String name = "depthwise " + k + "x" + k + " dilation " + d + " stride " + s + " padding " + p
                                + " on " + hw[0] + "x" + hw[1];
                        cases.add(Arguments.of(name, 2, channels, channels, hw[0], hw[1], g));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    void conv2dForwardAndBackward(String name, int n, int cin, int cout, int h, int w, ConvGeometry g) {
        Twin x = random(n, cin, h, w);
        Twin weights = random(cout, cin / g.groups(), g.kernel(), g.kernel());
        Twin y = random(n, cout, g.outSize(h), g.outSize(w));
        run((b, s) -> b.conv2d(s.of(x), s.of(weights), s.of(y), g));
        assertWritten("conv2d " + name, y);

        Twin dy = random(y.shape());
        Twin dx = random(x.shape());
        Twin dw = random(weights.shape());
        double[] dxBefore = referenceContents(dx);
        double[] dwBefore = referenceContents(dw);
        run((b, s) -> b.conv2dBackwardData(s.of(dy), s.of(weights), s.of(dx), g));
        run((b, s) -> b.conv2dBackwardFilter(s.of(x), s.of(dy), s.of(dw), g));
        assertUpdated("conv2dBackwardData " + name, dx, dxBefore);
        assertUpdated("conv2dBackwardFilter " + name, dw, dwBefore);
    }

    // ---------------------------------------------------------------- batch normalisation

    @ParameterizedTest(name = "[{0}, {1}, {2}, {3}]")
    @CsvSource({"2, 5, 7, 9", "8, 16, 4, 4"})
    void batchNormTrainAndBackward(int n, int c, int h, int w) {
        Twin x = offset(random(n, c, h, w), 0.5);
        Twin gamma = twin(positive(c), c);
        Twin beta = random(c);
        Twin y = random(n, c, h, w);
        Twin saveMean = random(c);
        Twin saveInvStd = random(c);
        Twin runMean = random(c);
        Twin runVar = twin(positive(c), c);
        double[] runMeanBefore = referenceContents(runMean);
        double[] runVarBefore = referenceContents(runVar);
        run((b, s) -> b.batchNormTrain(s.of(x), s.of(gamma), s.of(beta), s.of(y), s.of(saveMean), s.of(saveInvStd),
                s.of(runMean), s.of(runVar), 0.1, 1e-5));
        assertWritten("batchNormTrain y", y);
        assertWritten("batchNormTrain saveMean", saveMean);
        assertWritten("batchNormTrain saveInvStd", saveInvStd);
        assertUpdated("batchNormTrain runMean", runMean, runMeanBefore);
        assertUpdated("batchNormTrain runVar", runVar, runVarBefore);

        // backward from the reference's saved statistics on both sides, so it is tested on its own
        Twin mean = twin(referenceContents(saveMean), c);
        Twin invStd = twin(referenceContents(saveInvStd), c);
        Twin dy = random(n, c, h, w);
        Twin dx = random(n, c, h, w);
        Twin dGamma = random(c);
        Twin dBeta = random(c);
        double[] dxBefore = referenceContents(dx);
        double[] dGammaBefore = referenceContents(dGamma);
        double[] dBetaBefore = referenceContents(dBeta);
        run((b, s) -> b.batchNormBackward(s.of(x), s.of(dy), s.of(gamma), s.of(mean), s.of(invStd), s.of(dx),
                s.of(dGamma), s.of(dBeta)));
        assertUpdated("batchNormBackward dx", dx, dxBefore);
        assertUpdated("batchNormBackward dGamma", dGamma, dGammaBefore);
        assertUpdated("batchNormBackward dBeta", dBeta, dBetaBefore);
    }

    @Test
    void batchNormEval() {
        Twin x = random(4, 6, 5, 7);
        Twin gamma = twin(positive(6), 6);
        Twin beta = random(6);
        Twin runMean = random(6);
        Twin runVar = twin(positive(6), 6);
        Twin y = random(4, 6, 5, 7);
        run((b, s) -> b.batchNormEval(s.of(x), s.of(gamma), s.of(beta), s.of(runMean), s.of(runVar), s.of(y), 1e-5));
        assertWritten("batchNormEval", y);
    }

    // ---------------------------------------------------------------- pooling and resampling

    @ParameterizedTest(name = "{0} pool stride {1} on {2}x{3}")
    @CsvSource({
        "max, 1, 7, 9", "max, 2, 7, 9", "max, 1, 8, 8", "max, 2, 8, 8",
        "avg, 1, 7, 9", "avg, 2, 7, 9", "avg, 1, 8, 8", "avg, 2, 8, 8"})
    void poolingForwardAndBackward(String kind, int stride, int h, int w) {
        PoolGeometry g = new PoolGeometry(3, stride, 1);
        boolean max = kind.equals("max");
        Twin x = random(2, 3, h, w);
        Twin y = random(2, 3, g.outSize(h), g.outSize(w));
        run((b, s) -> {
            if (max) {
                b.maxPool(s.of(x), s.of(y), g);
            } else {
                b.avgPool(s.of(x), s.of(y), g);
            }
        });
        assertWritten(kind + "Pool", y);

        Twin dy = random(y.shape());
        Twin dx = random(x.shape());
        double[] before = referenceContents(dx);
        run((b, s) -> {
            if (max) {
                b.maxPoolBackward(s.of(x), s.of(dy), s.of(dx), g);
            } else {
                b.avgPoolBackward(s.of(dy), s.of(dx), g);
            }
        });
        assertUpdated(kind + "PoolBackward", dx, before);
    }

    /** Offset 0 goes through the three-argument forms, the offset-0 case they are. */
    @ParameterizedTest(name = "stride {0} offset {3} on {1}x{2}")
    @CsvSource({"2, 7, 9, 0", "2, 8, 8, 0", "4, 9, 7, 0", "1, 5, 5, 0", "2, 7, 7, 1", "2, 8, 8, 1", "3, 7, 5, 2",
        "4, 9, 7, 3"})
    void subsampleForwardAndBackward(int stride, int h, int w, int offset) {
        Twin x = random(2, 3, h, w);
        Twin y = random(2, 3, (h + stride - 1) / stride, (w + stride - 1) / stride);
        run((b, s) -> {
            if (offset == 0) {
                b.subsample(s.of(x), s.of(y), stride);
            } else {
                b.subsample(s.of(x), s.of(y), stride, offset);
            }
        });
        assertWritten("subsample", y);

        Twin dy = random(y.shape());
        Twin dx = random(x.shape());
        double[] before = referenceContents(dx);
        run((b, s) -> {
            if (offset == 0) {
                b.subsampleBackward(s.of(dy), s.of(dx), stride);
            } else {
                b.subsampleBackward(s.of(dy), s.of(dx), stride, offset);
            }
        });
        assertUpdated("subsampleBackward", dx, before);
    }

    @Test
    void subsampleRefusesAnOffsetOutsideTheStride() {
        Tensor x = backend.allocate(1, 2, 7, 7);
        Tensor y = backend.allocate(1, 2, 4, 4);
        assertOneLine("subsample: offset must be in [0, stride) = [0, 2), got 2",
                () -> backend.subsample(x, y, 2, 2));
        assertOneLine("subsampleBackward: offset must be in [0, stride) = [0, 2), got -1",
                () -> backend.subsampleBackward(y, x, 2, -1));
        assertOneLine("subsample: y has shape [1, 2, 3, 3], expected [1, 2, 4, 4] for x [1, 2, 7, 7] and stride 2",
                () -> backend.subsample(x, backend.allocate(1, 2, 3, 3), 2, 1));
    }

    // ---------------------------------------------------------------- channel concatenation

    /**
     * A DARTS cell's output (four nodes of one width), a factorized reduction's two halves, and
     * uneven widths; backward once with every gradient, once with the first input needing none
     * (its gradient must stay as it was).
     */
    @ParameterizedTest(name = "channels {0} on {1}x{2}")
    @CsvSource({"4 4 4 4, 5, 5", "3 3, 4, 4", "1 5 2, 7, 3"})
    void concatChannelsForwardAndBackward(String widths, int h, int w) {
        int[] channels = Arrays.stream(widths.split(" ")).mapToInt(Integer::parseInt).toArray();
        List<Twin> xs = new ArrayList<>();
        for (int c : channels) {
            xs.add(random(3, c, h, w));
        }
        Twin y = random(3, Arrays.stream(channels).sum(), h, w);
        run((b, s) -> b.concatChannels(xs.stream().map(s::of).toList(), s.of(y)));
        assertWritten("concatChannels", y);

        Twin dy = random(y.shape());
        List<Twin> dxs = new ArrayList<>();
        List<double[]> before = new ArrayList<>();
        for (Twin x : xs) {
            Twin dx = random(x.shape());
            dxs.add(dx);
            before.add(referenceContents(dx));
        }
        run((b, s) -> b.concatChannelsBackward(s.of(dy), dxs.stream().map(s::of).toList()));
        for (int j = 0; j < dxs.size(); j++) {
            assertUpdated("concatChannelsBackward dxs[" + j + "]", dxs.get(j), before.get(j));
        }

        List<double[]> again = new ArrayList<>();
        for (Twin dx : dxs) {
            again.add(referenceContents(dx));
        }
        run((b, s) -> {
            List<Tensor> wanted = new ArrayList<>(dxs.stream().map(s::of).toList());
            wanted.set(0, null);
            b.concatChannelsBackward(s.of(dy), channels, wanted);
        });
        assertClose("concatChannelsBackward skipped dxs[0]", again.get(0), backend.download(dxs.get(0).test()));
        for (int j = 1; j < dxs.size(); j++) {
            assertUpdated("concatChannelsBackward with dxs[0] skipped, dxs[" + j + "]", dxs.get(j), again.get(j));
        }
    }

    @Test
    void concatChannelsRefusesMismatchedShapesAndAliasing() {
        Tensor a = backend.allocate(2, 3, 4, 4);
        Tensor b = backend.allocate(2, 5, 4, 4);
        Tensor y = backend.allocate(2, 8, 4, 4);
        assertOneLine("concatChannels: y [2, 8, 4, 4] has 8 channels, the inputs' add up to 6",
                () -> backend.concatChannels(List.of(a, a), y));
        assertOneLine("concatChannels: xs[1] [2, 5, 4, 3] does not match y [2, 8, 4, 4] outside the channels",
                () -> backend.concatChannels(List.of(a, backend.allocate(2, 5, 4, 3)), y));
        assertOneLine("concatChannels: xs[1] must have rank 4, got shape [2, 5, 16]",
                () -> backend.concatChannels(List.of(a, backend.allocate(2, 5, 16)), y));
        assertOneLine("concatChannels: xs is empty; a concatenation needs at least one input",
                () -> backend.concatChannels(List.of(), y));
        Tensor whole = backend.allocate(2, 3, 4, 4);
        assertOneLine("concatChannels: y [2, 3, 4, 4] must not be the same tensor as xs[0]",
                () -> backend.concatChannels(List.of(whole), whole));

        Tensor dy = backend.allocate(2, 8, 4, 4);
        assertOneLine("concatChannelsBackward: dxs[1] [2, 3, 4, 4] has 3 channels, but channels[1] is 5",
                () -> backend.concatChannelsBackward(dy, new int[] {3, 5}, List.of(a, whole)));
        assertOneLine("concatChannelsBackward: dy [2, 8, 4, 4] has 8 channels, the inputs' add up to 7",
                () -> backend.concatChannelsBackward(dy, new int[] {3, 4}, Arrays.asList(a, null)));
        assertOneLine("concatChannelsBackward: 2 channel widths and 1 dxs; one width per input",
                () -> backend.concatChannelsBackward(dy, new int[] {3, 5}, List.of(a)));
        assertOneLine("concatChannelsBackward: dxs[1] [2, 3, 4, 4] must not be the same tensor as dxs[0]",
                () -> backend.concatChannelsBackward(backend.allocate(2, 6, 4, 4), List.of(a, a)));
        Tensor self = backend.allocate(2, 8, 4, 4);
        assertOneLine("concatChannelsBackward: dxs[0] [2, 8, 4, 4] must not be the same tensor as dy",
                () -> backend.concatChannelsBackward(self, List.of(self)));
        assertOneLine("concatChannelsBackward: dxs[1] is null, so its block's width is unknown; pass the widths "
                + "(concatChannelsBackward(dy, channels, dxs)) to skip an input",
                () -> backend.concatChannelsBackward(dy, Arrays.asList(a, null)));
    }

    /** The call fails with an {@link IllegalArgumentException} whose message is exactly {@code message}, one line. */
    private void assertOneLine(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run, context(message));
        assertEquals(message, e.getMessage(), context("message"));
        assertTrue(!e.getMessage().contains("\n"), context("one line"));
    }

    @Test
    void globalAvgPoolForwardAndBackward() {
        Twin x = random(3, 5, 7, 9);
        Twin y = random(3, 5);
        run((b, s) -> b.globalAvgPool(s.of(x), s.of(y)));
        assertWritten("globalAvgPool", y);

        Twin dy = random(3, 5);
        Twin dx = random(3, 5, 7, 9);
        double[] before = referenceContents(dx);
        run((b, s) -> b.globalAvgPoolBackward(s.of(dy), s.of(dx)));
        assertUpdated("globalAvgPoolBackward", dx, before);
    }

    // ---------------------------------------------------------------- dense head and loss

    @Test
    void linearForwardAndBackward() {
        int n = 6;
        int k = 37;
        int m = 10;
        Twin x = random(n, k);
        Twin w = random(m, k);
        Twin b = random(m);
        Twin y = random(n, m);
        run((be, s) -> be.linear(s.of(x), s.of(w), s.of(b), s.of(y)));
        assertWritten("linear", y);

        Twin dy = random(n, m);
        Twin dx = random(n, k);
        Twin dw = random(m, k);
        Twin db = random(m);
        double[] dxBefore = referenceContents(dx);
        double[] dwBefore = referenceContents(dw);
        double[] dbBefore = referenceContents(db);
        run((be, s) -> be.linearBackward(s.of(x), s.of(w), s.of(dy), s.of(dx), s.of(dw), s.of(db)));
        assertUpdated("linearBackward dx", dx, dxBefore);
        assertUpdated("linearBackward dw", dw, dwBefore);
        assertUpdated("linearBackward db", db, dbBefore);

        // dx == null: only the parameter gradients (the first layer of a head needs no input gradient)
        double[] dwBefore2 = referenceContents(dw);
        double[] dbBefore2 = referenceContents(db);
        run((be, s) -> be.linearBackward(s.of(x), s.of(w), s.of(dy), null, s.of(dw), s.of(db)));
        assertUpdated("linearBackward (dx null) dw", dw, dwBefore2);
        assertUpdated("linearBackward (dx null) db", db, dbBefore2);
    }

    @Test
    void softmaxCrossEntropy() {
        int n = 5;
        int m = 10;
        double[] values = new double[n * m];
        double[] noise = floats(n * m);
        for (int i = 0; i < values.length; i++) {
            values[i] = 3 * noise[i];
        }
        for (int j = 0; j < m; j++) {
            // exp(100) overflows float32: this row only works with the maximum subtracted
            values[2 * m + j] = (double) (float) (values[2 * m + j] + 100);
        }
        Twin logits = twin(values, n, m);
        double[] labelValues = new double[n];
        for (int i = 0; i < n; i++) {
            labelValues[i] = random.nextInt(m);
        }
        Twin labels = twin(labelValues, n);
        Twin dLogits = random(n, m);
        double[] before = referenceContents(dLogits);
        Twin loss = random(1);  // the loss is added to what the tensor holds
        double[] lossBefore = referenceContents(loss);
        double scale = 0.4;
        run((b, s) -> b.softmaxCrossEntropy(s.of(logits), s.of(labels), s.of(dLogits), s.of(loss), scale));
        double refAdded = referenceContents(loss)[0] - lossBefore[0];
        assertTrue(refAdded > 0, context("reference loss " + refAdded));
        assertScalar("softmaxCrossEntropy loss", referenceContents(loss)[0], backend.download(loss.test())[0],
                1 + Math.abs(refAdded));
        assertUpdated("softmaxCrossEntropy dLogits", dLogits, before);
        // the mean loss over rows, computed here from its definition
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                max = Math.max(max, values[i * m + j]);
            }
            double z = 0;
            for (int j = 0; j < m; j++) {
                z += Math.exp(values[i * m + j] - max);
            }
            mean += (Math.log(z) + max - values[i * m + (int) labelValues[i]]) / n;
        }
        assertEquals(scale * mean, refAdded, 1e-12 * (1 + Math.abs(mean)), context("reference loss added"));
    }

    // ---------------------------------------------------------------- optimiser

    @Test
    void sgdMomentumTwoSteps() {
        Twin param = random(7, 11);
        Twin grad = random(7, 11);
        Twin velocity = random(7, 11);
        double[] paramBefore = referenceContents(param);
        double[] velocityBefore = referenceContents(velocity);
        for (int step = 0; step < 2; step++) {
            run((b, s) -> b.sgdMomentum(s.of(param), s.of(grad), s.of(velocity), 0.05, 0.9, 3e-4));
        }
        assertUpdated("sgdMomentum param", param, paramBefore);
        assertUpdated("sgdMomentum velocity", velocity, velocityBefore);
    }

    /** Parameter-like shapes: a dense weight, a conv filter, BatchNorm vectors, a scalar, one past a chunk. */
    private static final int[][] PARAMETER_SHAPES = {{7, 11}, {16, 3, 3, 3}, {16}, {1}, {2049}, {10, 256}, {5, 1, 5, 5}};

    /**
     * The fused update, reading its rate from a tensor, equals the per-tensor loop with the rate as
     * an argument on the same backend bit for bit (both run the same per-element arithmetic: a
     * Java loop over sgdMomentum, or on CUDA the same device function; a float32 backend rounds
     * the uploaded rate as it rounds the argument; the rates are not float32 values), and the
     * per-tensor reference within {@link #tolerance()}.
     */
    @Test
    void sgdMomentumAllEqualsPerTensorUpdates() {
        int n = PARAMETER_SHAPES.length;
        List<Twin> params = new ArrayList<>(), grads = new ArrayList<>(), velocities = new ArrayList<>();
        List<Tensor> loopParams = new ArrayList<>(), loopGrads = new ArrayList<>(), loopVelocities = new ArrayList<>();
        List<double[]> paramsBefore = new ArrayList<>(), velocitiesBefore = new ArrayList<>();
        for (int[] shape : PARAMETER_SHAPES) {
            Twin p = random(shape), g = random(shape), v = random(shape);
            params.add(p);
            grads.add(g);
            velocities.add(v);
            paramsBefore.add(referenceContents(p));
            velocitiesBefore.add(referenceContents(v));
            loopParams.add(copyOnTest(p));
            loopGrads.add(copyOnTest(g));
            loopVelocities.add(copyOnTest(v));
        }
        List<Tensor> ps = params.stream().map(Twin::test).toList();
        List<Tensor> gs = grads.stream().map(Twin::test).toList();
        List<Tensor> vs = velocities.stream().map(Twin::test).toList();
        Tensor rate = backend.allocate(1);
        for (int step = 0; step < 3; step++) {
            double lr = 0.05 + 0.01 * step;
            assertTrue((float) lr != lr, "the rate " + lr + " is not a float32 value");
            backend.upload(rate, new double[] {lr});
            backend.sgdMomentumAll(ps, gs, vs, rate, 0.9, 3e-4);
            for (int i = 0; i < n; i++) {
                backend.sgdMomentum(loopParams.get(i), loopGrads.get(i), loopVelocities.get(i), lr, 0.9, 3e-4);
                reference.sgdMomentum(params.get(i).reference(), grads.get(i).reference(),
                        velocities.get(i).reference(), lr, 0.9, 3e-4);
            }
        }
        for (int i = 0; i < n; i++) {
            String what = "sgdMomentumAll triple " + i + " " + Arrays.toString(PARAMETER_SHAPES[i]);
            assertArrayEquals(backend.download(loopParams.get(i)), backend.download(ps.get(i)),
                    context(what + ": param differs from the per-tensor update on the same backend"));
            assertArrayEquals(backend.download(loopVelocities.get(i)), backend.download(vs.get(i)),
                    context(what + ": velocity differs from the per-tensor update on the same backend"));
            assertUpdated(what + " param", params.get(i), paramsBefore.get(i));
            assertUpdated(what + " velocity", velocities.get(i), velocitiesBefore.get(i));
        }
    }

    @Test
    void sgdMomentumAllRejectsBadTriplesBeforeUpdatingAnything() {
        Tensor p0 = backend.allocate(4, 5), g0 = backend.allocate(4, 5), v0 = backend.allocate(4, 5);
        Tensor p1 = backend.allocate(3, 3), g1 = backend.allocate(9), v1 = backend.allocate(8);
        double[] values = floats(20);
        backend.upload(p0, values);
        backend.upload(g0, floats(20));
        Tensor rate = backend.allocate(1);
        backend.upload(rate, new double[] {0.1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.sgdMomentumAll(List.of(p0, p1), List.of(g0, g1), List.of(v0, v1), rate, 0.9, 3e-4));
        assertTrue(e.getMessage().contains("triple 1") && e.getMessage().contains("[3, 3]")
                && e.getMessage().contains("[8]"), context("message names the index and shapes: " + e.getMessage()));
        assertArrayEquals(values, backend.download(p0), context("triple 0 was updated by a rejected call"));
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.sgdMomentumAll(List.of(p0), List.of(g0, g1), List.of(v0), rate, 0.9, 3e-4));
        assertTrue(e.getMessage().contains("same length"), context(e.getMessage()));
        // a written tensor in two triples: the fused update could not equal the loop
        Tensor p2 = backend.allocate(4, 5);
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.sgdMomentumAll(List.of(p0, p2), List.of(g0, g0), List.of(v0, p0), rate, 0.9, 3e-4));
        assertTrue(e.getMessage().contains("triple 1") && e.getMessage().contains("triple 0"), context(e.getMessage()));
        assertArrayEquals(values, backend.download(p0), context("triple 0 was updated by a rejected call"));
        // the rate: one element, and not a tensor the update writes (it would change mid-update)
        Tensor twoRates = backend.allocate(2);
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.sgdMomentumAll(List.of(p0), List.of(g0), List.of(v0), twoRates, 0.9, 3e-4));
        assertTrue(e.getMessage().contains("rate") && e.getMessage().contains("[2]"), context(e.getMessage()));
        Tensor p3 = backend.allocate(1), g3 = backend.allocate(1), v3 = backend.allocate(1);
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.sgdMomentumAll(List.of(p0, p3), List.of(g0, g3), List.of(v0, v3), v3, 0.9, 3e-4));
        assertTrue(e.getMessage().contains("rate is updated by triple 1"), context(e.getMessage()));
        assertThrows(NullPointerException.class,
                () -> backend.sgdMomentumAll(List.of(p0), List.of(g0), List.of(v0), null, 0.9, 3e-4));
        assertArrayEquals(values, backend.download(p0), context("triple 0 was updated by a rejected call"));
        // a gradient shared by two triples is only read: allowed
        backend.sgdMomentumAll(List.of(p0, p2), List.of(g0, g0), List.of(v0, backend.allocate(20)), rate, 0.9, 3e-4);
        assertTrue(!Arrays.equals(values, backend.download(p0)), context("the accepted call left param 0 unchanged"));
    }

    @Test
    void sgdMomentumAllOfEmptyListsIsANoOp() {
        Tensor rate = backend.allocate(1);
        backend.upload(rate, new double[] {0.1});
        MemoryStats before = backend.memory();
        backend.sgdMomentumAll(List.of(), List.of(), List.of(), rate, 0.9, 3e-4);
        assertEquals(before.bytesInUse(), backend.memory().bytesInUse(), context("bytes in use after an empty update"));
        assertEquals(before.liveTensors(), backend.memory().liveTensors(), context("live tensors after an empty update"));
    }

    // ---------------------------------------------------------------- harness

    /** A new tensor on the backend under test with {@code t}'s contents. */
    private Tensor copyOnTest(Twin t) {
        Tensor c = backend.allocate(t.shape());
        backend.upload(c, referenceContents(t));
        return c;
    }

    /** Runs an op on the backend under test, then on the reference. */
    private void run(Action action) {
        action.apply(backend, Side.TEST);
        action.apply(reference, Side.REFERENCE);
    }

    /** Uniform in [-1, 1), rounded to float32 (see the class comment). */
    private double[] floats(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * random.nextDouble() - 1);
        }
        return v;
    }

    /** In [0.5, 1.5), rounded to float32: scales and variances. */
    private double[] positive(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.5 + random.nextDouble());
        }
        return v;
    }

    private Twin twin(double[] values, int... shape) {
        Tensor t = backend.allocate(shape);
        Tensor r = reference.allocate(shape);
        backend.upload(t, values);
        reference.upload(r, values);
        return new Twin(t, r, shape.clone());
    }

    private Twin random(int... shape) {
        return twin(floats((int) Tensor.elementCount(shape)), shape);
    }

    /** A copy of {@code t} with {@code delta} added, so normalisation has a mean to remove. */
    private Twin offset(Twin t, double delta) {
        double[] v = referenceContents(t);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] + delta);
        }
        return twin(v, t.shape());
    }

    private double[] referenceContents(Twin t) {
        return reference.download(t.reference());
    }

    /** A forward output: the reference wrote something non-zero, and the backend under test agrees. */
    private void assertWritten(String what, Twin out) {
        double[] ref = referenceContents(out);
        assertTrue(norm(ref) > 0, context(what + ": the reference output is all zero, the comparison would be vacuous"));
        assertClose(what, ref, backend.download(out.test()));
    }

    /**
     * An accumulated or updated tensor: the reference changed it, and the backend under test
     * ended with the same contents (so it also kept what was there before).
     */
    private void assertUpdated(String what, Twin t, double[] before) {
        double[] ref = referenceContents(t);
        double[] change = new double[ref.length];
        for (int i = 0; i < ref.length; i++) {
            change[i] = ref[i] - before[i];
        }
        assertTrue(norm(change) > 0, context(what + ": the reference left the tensor unchanged, the comparison would be vacuous"));
        assertClose(what, ref, backend.download(t.test()));
    }

    private void assertClose(String what, double[] ref, double[] actual) {
        assertEquals(ref.length, actual.length, context(what + ": length"));
        double scale = 0;
        for (double v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        double rtol = tolerance();
        double atol = rtol * scale;
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < ref.length; i++) {
            double allowed = atol + rtol * Math.abs(ref[i]);
            if (!(Math.abs(actual[i] - ref[i]) <= allowed)) { // negated so NaN fails
                count++;
                if (mismatches.size() < 5) {
                    mismatches.add("[" + i + "] " + actual[i] + " vs reference " + ref[i]);
                }
            }
        }
        if (count > 0) {
            fail(context(what + ": " + count + " of " + ref.length + " elements outside atol " + atol + " + rtol " + rtol
                    + " * |ref|, e.g. " + String.join(", ", mismatches)));
        }
    }

    /** A returned scalar; {@code scale} is the magnitude of its terms, which bounds its rounding error. */
    private void assertScalar(String what, double ref, double actual, double scale) {
        assertTrue(ref != 0, context(what + ": the reference value is zero, the comparison would be vacuous"));
        double allowed = tolerance() * (scale + Math.abs(ref));
        if (!(Math.abs(actual - ref) <= allowed)) {
            fail(context(what + ": " + actual + " vs reference " + ref + ", allowed difference " + allowed));
        }
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private String context(String message) {
        return message + " [backend " + backend.name() + ", seed=" + seed + "L]";
    }
}
