package org.spidernet.backend.reference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/** Finite-difference check of the full training-mode BatchNorm backward (x, gamma, beta). */
class ReferenceBatchNormGradientTest {
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
    void trainBackwardMatchesFiniteDifferences() {
        int n = 2;
        int c = 3;
        int h = 5;
        int w = 7;
        // an offset and a spread per element so the batch statistics are far from 0 and 1
        double[] xs = random.uniform(n * c * h * w);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 0.5 + 2 * xs[i];
        }
        Tensor x = tensor(xs, n, c, h, w);
        Tensor gamma = tensor(random.between(c, 0.5, 1.5), c);
        Tensor beta = tensor(random.uniform(c), c);
        Tensor y = backend.allocate(n, c, h, w);
        Tensor saveMean = backend.allocate(c);
        Tensor saveInvStd = backend.allocate(c);
        Tensor runMean = backend.allocate(c);
        Tensor runVar = backend.allocate(c);
        Tensor r = tensor(random.uniform(n * c * h * w), n, c, h, w);
        Tensor dx = backend.allocate(n, c, h, w);
        Tensor dGamma = backend.allocate(c);
        Tensor dBeta = backend.allocate(c);

        GradientCheck.of(backend, random, "batchNormTrain")
                .wrt("x", x, dx)
                .wrt("gamma", gamma, dGamma)
                .wrt("beta", beta, dBeta)
                .run(() -> {
                    backend.batchNormTrain(x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar, 0.1, 1e-5);
                    return backend.dot(r, y);
                }, () -> backend.batchNormBackward(x, r, gamma, saveMean, saveInvStd, dx, dGamma, dBeta));
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
