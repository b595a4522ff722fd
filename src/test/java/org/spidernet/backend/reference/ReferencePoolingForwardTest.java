package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

/** Pooling and resampling forward passes (and max-pool tie routing) against hand-worked answers. */
class ReferencePoolingForwardTest {
    private static final double EXACT = 1e-12;
    private static final PoolGeometry THREE_BY_THREE = new PoolGeometry(3, 1, 1);

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
    void averagePoolingAlwaysDividesByNine() {
        Tensor x = backend.allocate(1, 1, 4, 4);
        backend.fill(x, 1.0);
        Tensor y = garbage(1, 1, 4, 4);
        backend.avgPool(x, y, THREE_BY_THREE);
        // corners see 4 real ones, edges 6, the interior 9; all divided by 9
        double c = 4.0 / 9;
        double e = 6.0 / 9;
        double[] expected = {c, e, e, c, e, 1, 1, e, e, 1, 1, e, c, e, e, c};
        assertArrayEquals(expected, backend.download(y), EXACT);
    }

    @Test
    void maxPoolingTreatsPaddingAsMinusInfinity() {
        // all negative: a zero-padded max pool would output 0 at the border
        Tensor x = tensor(new double[] {-1, -2, -3, -4, -5, -6, -7, -8, -9}, 1, 1, 3, 3);
        Tensor y = garbage(1, 1, 3, 3);
        backend.maxPool(x, y, THREE_BY_THREE);
        double[] expected = {-1, -1, -2, -1, -1, -2, -4, -4, -5};
        assertArrayEquals(expected, backend.download(y), EXACT);
    }

    @Test
    void maxPoolingWithStrideTwo() {
        double[] values = new double[25];
        for (int i = 0; i < 25; i++) {
            values[i] = (i * 7) % 25; // a permutation of 0..24, so every window has a unique maximum
        }
        Tensor x = tensor(values, 1, 1, 5, 5);
        Tensor y = garbage(1, 1, 3, 3);
        backend.maxPool(x, y, new PoolGeometry(3, 2, 1));
        double[] expected = new double[9];
        for (int oh = 0; oh < 3; oh++) {
            for (int ow = 0; ow < 3; ow++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int ih = 2 * oh - 1; ih <= 2 * oh + 1; ih++) {
                    for (int iw = 2 * ow - 1; iw <= 2 * ow + 1; iw++) {
                        if (ih >= 0 && ih < 5 && iw >= 0 && iw < 5) {
                            best = Math.max(best, values[ih * 5 + iw]);
                        }
                    }
                }
                expected[oh * 3 + ow] = best;
            }
        }
        assertArrayEquals(expected, backend.download(y), EXACT);
    }

    @Test
    void maxPoolBackwardSendsTiesToTheFirstMaximumInRowMajorOrder() {
        Tensor x = backend.allocate(1, 1, 3, 3);
        backend.fill(x, 1.0); // every window is one big tie
        Tensor dy = backend.allocate(1, 1, 3, 3);
        backend.fill(dy, 1.0);
        Tensor dx = backend.allocate(1, 1, 3, 3);
        backend.maxPoolBackward(x, dy, dx, THREE_BY_THREE);
        // window (oh, ow) starts at its first real element (max(oh-1, 0), max(ow-1, 0)):
        // (0,0) wins for outputs (0,0) (0,1) (1,0) (1,1); (0,1) for (0,2) (1,2); (1,0) for (2,0) (2,1);
        // (1,1) for (2,2)
        double[] expected = {4, 2, 0, 2, 1, 0, 0, 0, 0};
        assertArrayEquals(expected, backend.download(dx), EXACT);
    }

    @Test
    void subsampleKeepsEveryStrideElementWithCeilingSizes() {
        double[] values = new double[5 * 7];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        Tensor x = tensor(values, 1, 1, 5, 7);
        Tensor y = garbage(1, 1, 3, 4);
        backend.subsample(x, y, 2);
        // rows 0, 2, 4 and columns 0, 2, 4, 6 of the 5 x 7 image numbered 1..35
        double[] expected = {1, 3, 5, 7, 15, 17, 19, 21, 29, 31, 33, 35};
        assertArrayEquals(expected, backend.download(y), EXACT);
    }

    @Test
    void subsampleFromOffsetOneReadsZeroPastTheEdge() {
        double[] values = new double[7 * 7];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        Tensor x = tensor(values, 1, 1, 7, 7);
        Tensor y = garbage(1, 1, 4, 4);
        backend.subsample(x, y, 2, 1);
        // rows and columns 1, 3, 5 of the 7 x 7 image numbered 1..49; the fourth (index 7) is past the edge
        double[] expected = {9, 11, 13, 0, 23, 25, 27, 0, 37, 39, 41, 0, 0, 0, 0, 0};
        assertArrayEquals(expected, backend.download(y), EXACT);

        Tensor dy = tensor(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);
        Tensor dx = backend.allocate(1, 1, 7, 7);
        backend.fill(dx, 0.5);
        backend.subsampleBackward(dy, dx, 2, 1);
        double[] expectedDx = new double[49];
        Arrays.fill(expectedDx, 0.5);
        int[] kept = {1, 3, 5};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                expectedDx[kept[i] * 7 + kept[j]] += i * 4 + j + 1; // dy's row i, column j; its last row and column go nowhere
            }
        }
        assertArrayEquals(expectedDx, backend.download(dx), EXACT);
    }

    @Test
    void globalAveragePoolingIsThePlaneMean() {
        Tensor x = tensor(new double[] {1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6}, 1, 2, 2, 3);
        Tensor y = garbage(1, 2);
        backend.globalAvgPool(x, y);
        assertArrayEquals(new double[] {3.5, -3.5}, backend.download(y), EXACT);
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }

    /** An output pre-filled with non-zero junk, so a forward op that accumulates instead of overwriting fails. */
    private Tensor garbage(int... shape) {
        Tensor t = backend.allocate(shape);
        backend.fill(t, 123.0);
        return t;
    }
}
