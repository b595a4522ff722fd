package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.Tensor;

/** conv2d forward against hand-computed answers and independent small computations. */
class ReferenceConvolutionForwardTest {
    private static final double EXACT = 1e-12;
    /** The 3x3 image 1..9, row-major. */
    private static final double[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    /** The discrete Laplacian: up + down + left + right - 4 * centre. */
    private static final double[] LAPLACIAN = {0, 1, 0, 1, -4, 1, 0, 1, 0};

    private final SeededRandom random = new SeededRandom();
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
    void laplacianOfTinyImageWithZeroPadding() {
        Tensor x = tensor(NINE, 1, 1, 3, 3);
        Tensor w = tensor(LAPLACIAN, 1, 1, 3, 3);
        Tensor y = garbage(1, 1, 3, 3);
        backend.conv2d(x, w, y, ConvGeometry.dense(3, 1, 1));
        // worked by hand, e.g. corner (0,0): right 2 + down 4 - 4 * 1 = 2; centre: 2 + 4 + 6 + 8 - 20 = 0
        double[] expected = {2, 1, -4, -3, 0, -7, -16, -11, -22};
        assertArrayEquals(expected, backend.download(y), EXACT);
    }

    @Test
    void strideTwoKeepsEveryOtherOutput() {
        Tensor x = tensor(NINE, 1, 1, 3, 3);
        Tensor w = tensor(LAPLACIAN, 1, 1, 3, 3);
        Tensor y = garbage(1, 1, 2, 2);
        backend.conv2d(x, w, y, ConvGeometry.dense(3, 2, 1));
        // the stride-1 answer at (0,0), (0,2), (2,0), (2,2)
        assertArrayEquals(new double[] {2, -4, -16, -22}, backend.download(y), EXACT);
    }

    @Test
    void dilationTwoSpreadsTheTaps() {
        double[] image = new double[25];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                image[i * 5 + j] = 5 * i + j;
            }
        }
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        Tensor x = tensor(image, 1, 1, 5, 5);
        Tensor w = tensor(ones, 1, 1, 3, 3);
        Tensor y = garbage(1, 1, 5, 5);
        backend.conv2d(x, w, y, new ConvGeometry(3, 1, 2, 2, 1));
        double[] out = backend.download(y);
        // centre: taps at rows and columns {0, 2, 4}: 3 * 5 * (0 + 2 + 4) + 3 * (0 + 2 + 4) = 108
        assertArrayEquals(new double[] {108}, new double[] {out[2 * 5 + 2]}, EXACT);
        // corner: only taps (0,0), (0,2), (2,0), (2,2) are inside: 0 + 2 + 10 + 12 = 24
        assertArrayEquals(new double[] {24}, new double[] {out[0]}, EXACT);
    }

    @Test
    void pointwiseConvolutionIsAMatrixProductPerPixel() {
        int n = 2;
        int cin = 3;
        int cout = 4;
        int pixels = 5 * 7;
        double[] xs = random.uniform(n * cin * pixels);
        double[] ws = random.uniform(cout * cin);
        Tensor x = tensor(xs, n, cin, 5, 7);
        Tensor w = tensor(ws, cout, cin, 1, 1);
        Tensor y = garbage(n, cout, 5, 7);
        backend.conv2d(x, w, y, ConvGeometry.dense(1, 1, 0));
        double[] expected = new double[n * cout * pixels];
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                for (int p = 0; p < pixels; p++) {
                    for (int ci = 0; ci < cin; ci++) {
                        expected[(b * cout + co) * pixels + p] += ws[co * cin + ci] * xs[(b * cin + ci) * pixels + p];
                    }
                }
            }
        }
        assertArrayEquals(expected, backend.download(y), EXACT, random.toString());
    }

    @Test
    void groupsOnlyMixChannelsWithinAGroup() {
        // 4 -> 4 channels in 2 groups with 1x1 kernels: output channel co reads input channels
        // 2 * (co / 2) and 2 * (co / 2) + 1 only
        int pixels = 3 * 5;
        double[] xs = random.uniform(4 * pixels);
        double[] ws = random.uniform(4 * 2);
        Tensor x = tensor(xs, 1, 4, 3, 5);
        Tensor w = tensor(ws, 4, 2, 1, 1);
        Tensor y = garbage(1, 4, 3, 5);
        backend.conv2d(x, w, y, new ConvGeometry(1, 1, 0, 1, 2));
        double[] expected = new double[4 * pixels];
        for (int co = 0; co < 4; co++) {
            int first = 2 * (co / 2);
            for (int p = 0; p < pixels; p++) {
                expected[co * pixels + p] = ws[co * 2] * xs[first * pixels + p] + ws[co * 2 + 1] * xs[(first + 1) * pixels + p];
            }
        }
        assertArrayEquals(expected, backend.download(y), EXACT, random.toString());
    }

    @Test
    void depthwiseConvolutionFiltersEachChannelOnItsOwn() {
        // channel 0 gets the Laplacian, channel 1 the identity kernel: y1 must equal x1
        double[] xs = new double[18];
        System.arraycopy(NINE, 0, xs, 0, 9);
        double[] second = random.uniform(9);
        System.arraycopy(second, 0, xs, 9, 9);
        double[] ws = new double[18];
        System.arraycopy(LAPLACIAN, 0, ws, 0, 9);
        ws[9 + 4] = 1;
        Tensor x = tensor(xs, 1, 2, 3, 3);
        Tensor w = tensor(ws, 2, 1, 3, 3);
        Tensor y = garbage(1, 2, 3, 3);
        backend.conv2d(x, w, y, new ConvGeometry(3, 1, 1, 1, 2));
        double[] expected = new double[18];
        System.arraycopy(new double[] {2, 1, -4, -3, 0, -7, -16, -11, -22}, 0, expected, 0, 9);
        System.arraycopy(second, 0, expected, 9, 9);
        assertArrayEquals(expected, backend.download(y), EXACT, random.toString());
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
