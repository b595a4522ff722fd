package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/**
 * The fused SGD update ({@code sgd_momentum_all_kernel}, one launch for every tensor, the rate read
 * from a device tensor) on fresh random tensors: against one {@code sgdMomentum} launch per tensor
 * with the rate as an argument bit for bit (both kernels run the same per-element device function
 * on the same float32 rate), and against the float64 reference within 1e-5 * (max|ref|
 * + |ref|) per tensor (three float32 FMAs per step, two steps: a few ulps). Also the device table's
 * cache: a repeated step uploads nothing, a replaced tensor uploads once. Skipped without a usable
 * CUDA device.
 */
class CudaSgdMomentumAllTest extends CudaAgainstReference {
    private static final double TOLERANCE = 1e-5;

    /** Over a thousand tensors, most small as in a grown net, none a multiple of the 256-thread block. */
    @Test
    void manyTensorsMatchPerTensorLaunchesAndTheReference() {
        List<Integer> sizes = new ArrayList<>();
        for (int t = 0; t < 1200; t++) {
            int size;
            do {
                size = 1 + random.nextInt(t % 100 == 0 ? 60_000 : 3_000);
            } while (size % 256 == 0);
            sizes.add(size);
        }
        checkAgainstLoopAndReference(sizes);
    }

    /** Sizes around the block (256) and chunk (2048) boundaries, one tensor over many chunks. */
    @Test
    void sizesOffTheBlockAndChunkBoundaries() {
        checkAgainstLoopAndReference(List.of(1, 255, 257, 2047, 2049, 4097, 100_003, 3, 511));
    }

    @Test
    void theTableIsUploadedOncePerSetOfTensors() {
        List<Tensor> p = new ArrayList<>(), g = new ArrayList<>(), v = new ArrayList<>();
        for (int size : new int[] {300, 5000, 17}) {
            p.add(randomTensor(size));
            g.add(randomTensor(size));
            v.add(randomTensor(size));
        }
        Tensor rate = rate(0.1);
        cuda.sgdMomentumAll(p, g, v, rate, 0.9, 3e-4);
        long uploads = cuda.sgdMomentumTableUploads();
        assertEquals(1, uploads, "first call uploads the table");
        // new list objects holding the same tensors: the steady state of a training loop
        cuda.upload(rate, new double[] {0.05});
        cuda.sgdMomentumAll(List.copyOf(p), List.copyOf(g), List.copyOf(v), rate, 0.9, 3e-4);
        assertEquals(uploads, cuda.sgdMomentumTableUploads(), "a repeated step re-uploaded the table");
        // a replacement allocated while the old tensor lives has another address: one upload
        Tensor replacement = randomTensor(5000);
        Tensor old = p.set(1, replacement);
        double[] before = cuda.download(old);
        cuda.sgdMomentumAll(p, g, v, rate, 0.9, 3e-4);
        assertEquals(uploads + 1, cuda.sgdMomentumTableUploads(), "a replaced tensor must refresh the table");
        assertArrayEquals(before, cuda.download(old), "the stale table's tensor was updated");
        // a closed tensor is refused before the table is looked up
        replacement.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cuda.sgdMomentumAll(p, g, v, rate, 0.9, 3e-4));
        assertTrue(e.getMessage().contains("params[1]"), e.getMessage());
    }

    private void checkAgainstLoopAndReference(List<Integer> sizes) {
        int n = sizes.size();
        List<Tensor> p = new ArrayList<>(), g = new ArrayList<>(), v = new ArrayList<>();
        List<Tensor> lp = new ArrayList<>(), lg = new ArrayList<>(), lv = new ArrayList<>();
        List<Tensor> rp = new ArrayList<>(), rg = new ArrayList<>(), rv = new ArrayList<>();
        // the update's terms (momentum x velocity, gradient, decay x param) can cancel to a result far
        // smaller than themselves, so float32 rounding is judged against the inputs' scale too
        double[] inputScale = new double[n];
        for (int t = 0; t < n; t++) {
            int size = sizes.get(t);
            for (int k = 0; k < 3; k++) {
                float[] values = nonZero(size);
                for (float x : values) {
                    inputScale[t] = Math.max(inputScale[t], Math.abs(x));
                }
                Tensor fused = cuda.allocate(size), loop = cuda.allocate(size), ref = reference.allocate(size);
                cuda.upload(fused, values);
                cuda.upload(loop, values);
                reference.upload(ref, values);
                (k == 0 ? p : k == 1 ? g : v).add(fused);
                (k == 0 ? lp : k == 1 ? lg : lv).add(loop);
                (k == 0 ? rp : k == 1 ? rg : rv).add(ref);
            }
        }
        Tensor rate = cuda.allocate(1);
        for (int step = 0; step < 2; step++) {
            double lr = 0.1 - 0.03 * step;
            cuda.upload(rate, new double[] {lr});
            cuda.sgdMomentumAll(p, g, v, rate, 0.9, 3e-4);
            for (int i = 0; i < n; i++) {
                cuda.sgdMomentum(lp.get(i), lg.get(i), lv.get(i), lr, 0.9, 3e-4);
                reference.sgdMomentum(rp.get(i), rg.get(i), rv.get(i), lr, 0.9, 3e-4);
            }
        }
        for (int i = 0; i < n; i++) {
            String what = "tensor " + i + " of " + n + " (" + sizes.get(i) + " elements, seed " + seed + "L)";
            double[] param = cuda.download(p.get(i));
            double[] velocity = cuda.download(v.get(i));
            assertArrayEquals(cuda.download(lp.get(i)), param, what + ": param differs from the per-tensor kernel");
            assertArrayEquals(cuda.download(lv.get(i)), velocity, what + ": velocity differs from the per-tensor kernel");
            assertClose(what + " param", reference.download(rp.get(i)), param, inputScale[i]);
            assertClose(what + " velocity", reference.download(rv.get(i)), velocity, inputScale[i]);
        }
    }

    private static void assertClose(String what, double[] ref, double[] actual, double inputScale) {
        double scale = inputScale;
        for (double r : ref) {
            scale = Math.max(scale, Math.abs(r));
        }
        for (int i = 0; i < ref.length; i++) {
            double allowed = TOLERANCE * (scale + Math.abs(ref[i]));
            if (!(Math.abs(actual[i] - ref[i]) <= allowed)) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + " vs reference " + ref[i]
                        + ", allowed " + allowed);
            }
        }
    }

    private Tensor rate(double lr) {
        Tensor t = cuda.allocate(1);
        cuda.upload(t, new double[] {lr});
        return t;
    }

    private Tensor randomTensor(int size) {
        Tensor t = cuda.allocate(size);
        cuda.upload(t, nonZero(size));
        return t;
    }

    private float[] nonZero(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float x;
            do {
                x = (float) (2 * random.nextDouble() - 1);
            } while (x == 0f);
            values[i] = x;
        }
        return values;
    }
}
