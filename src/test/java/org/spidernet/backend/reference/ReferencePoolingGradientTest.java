package org.spidernet.backend.reference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

/** Finite-difference checks of max / average pooling, subsampling and global average pooling. */
class ReferencePoolingGradientTest {
    private static final int N = 2;
    private static final int C = 3;
    private static final int H = 5;
    private static final int W = 7;

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

    @ParameterizedTest(name = "stride {0}")
    @ValueSource(ints = {1, 2})
    void maxPoolBackwardMatchesFiniteDifferences(int stride) {
        PoolGeometry g = new PoolGeometry(3, stride, 1);
        // well separated values: a finite-difference step never changes which element wins
        Tensor x = tensor(random.wellSeparated(N * C * H * W), N, C, H, W);
        Tensor y = backend.allocate(N, C, g.outSize(H), g.outSize(W));
        Tensor r = tensor(random.uniform((int) y.size()), y.shape());
        Tensor dx = backend.allocate(x.shape());
        GradientCheck.of(backend, random, "maxPool stride " + stride)
                .wrt("x", x, dx)
                .run(() -> {
                    backend.maxPool(x, y, g);
                    return backend.dot(r, y);
                }, () -> backend.maxPoolBackward(x, r, dx, g));
    }

    @ParameterizedTest(name = "stride {0}")
    @ValueSource(ints = {1, 2})
    void avgPoolBackwardMatchesFiniteDifferences(int stride) {
        PoolGeometry g = new PoolGeometry(3, stride, 1);
        Tensor x = tensor(random.uniform(N * C * H * W), N, C, H, W);
        Tensor y = backend.allocate(N, C, g.outSize(H), g.outSize(W));
        Tensor r = tensor(random.uniform((int) y.size()), y.shape());
        Tensor dx = backend.allocate(x.shape());
        GradientCheck.of(backend, random, "avgPool stride " + stride)
                .wrt("x", x, dx)
                .run(() -> {
                    backend.avgPool(x, y, g);
                    return backend.dot(r, y);
                }, () -> backend.avgPoolBackward(r, dx, g));
    }

    @ParameterizedTest(name = "stride {0}")
    @ValueSource(ints = {2, 3})
    void subsampleBackwardMatchesFiniteDifferences(int stride) {
        Tensor x = tensor(random.uniform(N * C * H * W), N, C, H, W);
        int oh = (H + stride - 1) / stride;
        int ow = (W + stride - 1) / stride;
        Tensor y = backend.allocate(N, C, oh, ow);
        Tensor r = tensor(random.uniform((int) y.size()), y.shape());
        Tensor dx = backend.allocate(x.shape());
        GradientCheck.of(backend, random, "subsample stride " + stride)
                .wrt("x", x, dx)
                .run(() -> {
                    backend.subsample(x, y, stride);
                    return backend.dot(r, y);
                }, () -> backend.subsampleBackward(r, dx, stride));
    }

    /** Offsets past the first row and column; H = 5 and W = 7 leave the last output row past the edge at offset 2 and stride 3. */
    @ParameterizedTest(name = "stride {0} offset {1}")
    @CsvSource({"2, 1", "3, 1", "3, 2"})
    void subsampleFromAnOffsetMatchesFiniteDifferences(int stride, int offset) {
        Tensor x = tensor(random.uniform(N * C * H * W), N, C, H, W);
        int oh = (H + stride - 1) / stride;
        int ow = (W + stride - 1) / stride;
        Tensor y = backend.allocate(N, C, oh, ow);
        Tensor r = tensor(random.uniform((int) y.size()), y.shape());
        Tensor dx = backend.allocate(x.shape());
        GradientCheck.of(backend, random, "subsample stride " + stride + " offset " + offset)
                .wrt("x", x, dx)
                .run(() -> {
                    backend.subsample(x, y, stride, offset);
                    return backend.dot(r, y);
                }, () -> backend.subsampleBackward(r, dx, stride, offset));
    }

    @Test
    void globalAvgPoolBackwardMatchesFiniteDifferences() {
        Tensor x = tensor(random.uniform(N * C * H * W), N, C, H, W);
        Tensor y = backend.allocate(N, C);
        Tensor r = tensor(random.uniform(N * C), N, C);
        Tensor dx = backend.allocate(x.shape());
        GradientCheck.of(backend, random, "globalAvgPool")
                .wrt("x", x, dx)
                .run(() -> {
                    backend.globalAvgPool(x, y);
                    return backend.dot(r, y);
                }, () -> backend.globalAvgPoolBackward(r, dx));
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
