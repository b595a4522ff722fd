package org.spidernet.backend.reference;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.Tensor;

/** Finite-difference checks of conv2dBackwardData and conv2dBackwardFilter. */
class ReferenceConvolutionGradientTest {
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

    /** (name, inChannels, outChannels, geometry) on odd 5 x 7 images. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("dense 3x3", 3, 4, ConvGeometry.dense(3, 1, 1)),
                Arguments.of("dense 1x1", 3, 5, ConvGeometry.dense(1, 1, 0)),
                Arguments.of("dense 3x3 stride 2", 3, 4, ConvGeometry.dense(3, 2, 1)),
                Arguments.of("dense 3x3 dilation 2", 3, 2, new ConvGeometry(3, 1, 2, 2, 1)),
                Arguments.of("depthwise 3x3", 3, 3, new ConvGeometry(3, 1, 1, 1, 3)),
                Arguments.of("depthwise 5x5 stride 2", 3, 3, new ConvGeometry(5, 2, 2, 1, 3)),
                Arguments.of("depthwise 3x3 dilation 2 stride 2", 3, 3, new ConvGeometry(3, 2, 2, 2, 3)),
                Arguments.of("grouped 4->6 in 2 groups", 4, 6, new ConvGeometry(3, 1, 1, 1, 2)),
                Arguments.of("unpadded 2x2 stride 2", 3, 2, ConvGeometry.dense(2, 2, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(String name, int cin, int cout, ConvGeometry g) {
        int n = 2;
        int h = 5;
        int w = 7;
        int oh = g.outSize(h);
        int ow = g.outSize(w);
        Tensor x = tensor(random.uniform(n * cin * h * w), n, cin, h, w);
        Tensor weights = tensor(random.uniform(cout * (cin / g.groups()) * g.kernel() * g.kernel()),
                cout, cin / g.groups(), g.kernel(), g.kernel());
        Tensor y = backend.allocate(n, cout, oh, ow);
        Tensor r = tensor(random.uniform(n * cout * oh * ow), n, cout, oh, ow);
        Tensor dx = backend.allocate(x.shape());
        Tensor dw = backend.allocate(weights.shape());

        GradientCheck.of(backend, random, "conv2d " + name)
                .wrt("x", x, dx)
                .wrt("w", weights, dw)
                .run(() -> {
                    backend.conv2d(x, weights, y, g);
                    return backend.dot(r, y);
                }, () -> {
                    backend.conv2dBackwardData(r, weights, dx, g);
                    backend.conv2dBackwardFilter(x, r, dw, g);
                });
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
