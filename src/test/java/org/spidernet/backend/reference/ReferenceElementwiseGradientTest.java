package org.spidernet.backend.reference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/**
 * Finite-difference checks of ReLU and of the gated accumulation scaleAddPerSample, whose
 * backward is the same call on the upstream gradient (for x) plus dotPerSample (for the scale).
 */
class ReferenceElementwiseGradientTest {
    private static final int[] SHAPE = {2, 3, 5, 7};

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
    void reluBackwardMatchesFiniteDifferences() {
        int size = 2 * 3 * 5 * 7;
        // no input within a step of the kink, where the finite difference is meaningless
        Tensor x = tensor(random.awayFromZero(size), SHAPE);
        Tensor y = backend.allocate(SHAPE);
        Tensor r = tensor(random.uniform(size), SHAPE);
        Tensor dx = backend.allocate(SHAPE);
        GradientCheck.of(backend, random, "relu")
                .wrt("x", x, dx)
                .run(() -> {
                    backend.relu(x, y);
                    return backend.dot(r, y);
                }, () -> backend.reluBackward(x, r, dx));
    }

    @Test
    void scaleAddPerSampleBackwardMatchesFiniteDifferences() {
        int size = 2 * 3 * 5 * 7;
        Tensor x = tensor(random.uniform(size), SHAPE);
        double[] y0 = random.uniform(size);
        Tensor y = backend.allocate(SHAPE);
        Tensor r = tensor(random.uniform(size), SHAPE);
        Tensor dx = backend.allocate(SHAPE);
        // the per-sample factors are row 1 of a [2, N] tensor, times a float64 multiplier
        double multiplier = 1.3;
        Tensor factors = tensor(random.uniform(2 * SHAPE[0]), 2, SHAPE[0]);
        Tensor dFactors = backend.allocate(2, SHAPE[0]);
        Tensor rowGradient = backend.allocate(2, SHAPE[0]);
        GradientCheck.of(backend, random, "scaleAddPerSample")
                .wrt("x", x, dx)
                .wrt("factors", factors, dFactors)
                .run(() -> {
                    backend.upload(y, y0); // y is accumulated into, so restart from the same y0
                    backend.scaleAddPerSample(x, factors, 1, multiplier, y);
                    return backend.dot(r, y);
                }, () -> {
                    backend.scaleAddPerSample(r, factors, 1, multiplier, dx);
                    double[] perSample = backend.dotPerSample(r, x);
                    double[] row = new double[2 * SHAPE[0]];  // row 0 is not used: its gradient is 0
                    for (int n = 0; n < SHAPE[0]; n++) {
                        row[SHAPE[0] + n] = multiplier * perSample[n];
                    }
                    backend.upload(rowGradient, row);
                    backend.axpy(1.0, rowGradient, dFactors);
                });
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
