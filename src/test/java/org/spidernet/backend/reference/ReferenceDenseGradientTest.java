package org.spidernet.backend.reference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/** Finite-difference checks of the dense head: linear (x, w, b) and softmax cross-entropy. */
class ReferenceDenseGradientTest {
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
    void linearBackwardMatchesFiniteDifferences() {
        int n = 3;
        int k = 7;
        int m = 5;
        Tensor x = tensor(random.uniform(n * k), n, k);
        Tensor w = tensor(random.uniform(m * k), m, k);
        Tensor b = tensor(random.uniform(m), m);
        Tensor y = backend.allocate(n, m);
        Tensor r = tensor(random.uniform(n * m), n, m);
        Tensor dx = backend.allocate(n, k);
        Tensor dw = backend.allocate(m, k);
        Tensor db = backend.allocate(m);
        GradientCheck.of(backend, random, "linear")
                .wrt("x", x, dx)
                .wrt("w", w, dw)
                .wrt("b", b, db)
                .run(() -> {
                    backend.linear(x, w, b, y);
                    return backend.dot(r, y);
                }, () -> backend.linearBackward(x, w, r, dx, dw, db));
    }

    @Test
    void linearBackwardWithoutInputGradientMatchesFiniteDifferences() {
        int n = 2;
        int k = 5;
        int m = 3;
        Tensor x = tensor(random.uniform(n * k), n, k);
        Tensor w = tensor(random.uniform(m * k), m, k);
        Tensor b = tensor(random.uniform(m), m);
        Tensor y = backend.allocate(n, m);
        Tensor r = tensor(random.uniform(n * m), n, m);
        Tensor dw = backend.allocate(m, k);
        Tensor db = backend.allocate(m);
        GradientCheck.of(backend, random, "linear (dx = null)")
                .wrt("w", w, dw)
                .wrt("b", b, db)
                .run(() -> {
                    backend.linear(x, w, b, y);
                    return backend.dot(r, y);
                }, () -> backend.linearBackward(x, w, r, null, dw, db));
    }

    @Test
    void softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        int n = 3;
        int m = 7;
        double scale = 0.4; // an auxiliary head's weight: the gradient must carry it
        double[] values = random.uniform(n * m);
        for (int i = 0; i < values.length; i++) {
            values[i] *= 3;
        }
        Tensor logits = tensor(values, n, m);
        int[] ids = random.labels(n, m);
        double[] labelValues = new double[n];
        for (int i = 0; i < n; i++) {
            labelValues[i] = ids[i];
        }
        Tensor labels = tensor(labelValues, n);
        Tensor dLogits = backend.allocate(n, m);
        // the forward inside the loss needs somewhere to put its (unused) gradient and its loss
        Tensor scratch = backend.allocate(n, m);
        Tensor loss = backend.allocate(1);
        Tensor unused = backend.allocate(1);
        GradientCheck.of(backend, random, "softmaxCrossEntropy")
                .wrt("logits", logits, dLogits)
                .run(() -> {
                    backend.fill(loss, 0.0);
                    backend.softmaxCrossEntropy(logits, labels, scratch, loss, scale);  // adds scale * mean loss
                    return backend.download(loss)[0];
                }, () -> backend.softmaxCrossEntropy(logits, labels, dLogits, unused, scale));
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
