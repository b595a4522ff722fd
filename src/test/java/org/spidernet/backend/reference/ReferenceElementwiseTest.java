package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/** Storage round trips, elementwise ops and reductions by hand. */
class ReferenceElementwiseTest {
    private static final double EXACT = 1e-12;

    private ReferenceBackend backend;

    @BeforeEach
    void open() {
        backend = new ReferenceBackend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void allocateZeroesAndUploadDownloadRoundTrip() {
        Tensor t = backend.allocate(2, 3);
        assertArrayEquals(new double[6], backend.download(t));
        backend.upload(t, new float[] {1.5f, -2, 3, 0.25f, 5, 6});
        assertArrayEquals(new double[] {1.5, -2, 3, 0.25, 5, 6}, backend.download(t));
        double[] mine = backend.download(t);
        mine[0] = 42; // download hands out a copy
        assertEquals(1.5, backend.download(t)[0]);
    }

    @Test
    void fillCopyAxpy() {
        Tensor a = tensor(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = backend.allocate(4); // same size, other shape: copy and axpy only need the size
        backend.fill(b, 0.5);
        backend.axpy(-2, a, b);
        assertArrayEquals(new double[] {-1.5, -3.5, -5.5, -7.5}, backend.download(b), EXACT);
        backend.copy(a, b);
        assertArrayEquals(new double[] {1, 2, 3, 4}, backend.download(b), EXACT);
    }

    @Test
    void dotAndDotPerSample() {
        Tensor a = tensor(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = tensor(new double[] {1, 0, -1, 2, 2, 2}, 2, 3);
        assertEquals(-2 + 30, backend.dot(a, b), EXACT);
        assertArrayEquals(new double[] {-2, 30}, backend.dotPerSample(a, b), EXACT);
    }

    @Test
    void scaleAddPerSampleAccumulatesEachSampleWithItsScale() {
        Tensor x = tensor(new double[] {1, 2, 3, 4}, 2, 1, 1, 2);
        Tensor y = tensor(new double[] {10, 10, 10, 10}, 2, 1, 1, 2);
        Tensor factors = tensor(new double[] {7, 7, 0.25, -0.5}, 2, 2);
        backend.scaleAddPerSample(x, factors, 1, 2.0, y);  // per-sample 2 * (0.25, -0.5) = (0.5, -1)
        assertArrayEquals(new double[] {10.5, 11, 7, 6}, backend.download(y), EXACT);
    }

    @Test
    void reluAndItsBackward() {
        Tensor x = tensor(new double[] {-2, -0.0, 0.0, 3, Double.NaN}, 5);
        Tensor y = backend.allocate(5);
        backend.relu(x, y);
        double[] ys = backend.download(y);
        assertArrayEquals(new double[] {0, 0, 0, 3}, java.util.Arrays.copyOf(ys, 4), EXACT);
        assertTrue(Double.isNaN(ys[4]), "relu must propagate NaN, not hide a diverged value as 0");
        Tensor dy = tensor(new double[] {1, 1, 1, 1, 1}, 5);
        Tensor dx = tensor(new double[] {5, 5, 5, 5, 5}, 5);
        backend.reluBackward(x, dy, dx);
        // the subgradient at exactly 0 is 0
        assertArrayEquals(new double[] {5, 5, 5, 6, 5}, backend.download(dx), EXACT);
    }

    @Test
    void elementwiseOpsMayRunInPlace() {
        Tensor t = tensor(new double[] {-1, 2}, 2);
        backend.relu(t, t);
        backend.axpy(1.0, t, t);
        assertArrayEquals(new double[] {0, 4}, backend.download(t), EXACT);
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
