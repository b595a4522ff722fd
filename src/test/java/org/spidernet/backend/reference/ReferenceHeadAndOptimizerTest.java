package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/** Known answers for the linear head, softmax cross-entropy and the SGD momentum update. */
class ReferenceHeadAndOptimizerTest {
    private static final double EXACT = 1e-12;

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
    void linearByHand() {
        // x = [[1, 2]], w = [[1, 0], [0, 1], [1, -1]], b = [0.5, -0.5, 2]
        Tensor x = tensor(new double[] {1, 2}, 1, 2);
        Tensor w = tensor(new double[] {1, 0, 0, 1, 1, -1}, 3, 2);
        Tensor b = tensor(new double[] {0.5, -0.5, 2}, 3);
        Tensor y = backend.allocate(1, 3);
        backend.fill(y, 99);
        backend.linear(x, w, b, y);
        assertArrayEquals(new double[] {1.5, 1.5, 1}, backend.download(y), EXACT);
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogOfClassCount() {
        Tensor logits = backend.allocate(2, 5);
        backend.fill(logits, 0.7);
        Tensor d = backend.allocate(2, 5);
        double loss = loss(logits, new double[] {0, 3}, d, 1.0);
        assertEquals(Math.log(5), loss, EXACT);
        // (p - onehot) / N with p = 1/5
        double[] expected = {
            (0.2 - 1) / 2, 0.1, 0.1, 0.1, 0.1,
            0.1, 0.1, 0.1, (0.2 - 1) / 2, 0.1};
        assertArrayEquals(expected, backend.download(d), EXACT);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        // exp(1000) overflows; subtracting the row maximum keeps everything finite
        Tensor logits = tensor(new double[] {1000, 0, -1000, 1000}, 2, 2);
        Tensor d = backend.allocate(2, 2);
        double loss = loss(logits, new double[] {0, 0}, d, 0.5);
        // sample 0 is right with certainty (loss 0); sample 1 is wrong by 2000 (loss 2000); weight 0.5
        assertEquals(0.5 * 1000.0, loss, 1e-9);
        // gradient scale * (p - onehot) / N: sample 0 is 0, sample 1 is 0.25 * (-1, 1)
        assertArrayEquals(new double[] {0, 0, -0.25, 0.25}, backend.download(d), EXACT);
    }

    @Test
    void crossEntropyGradientAccumulatesWithScale() {
        Tensor logits = tensor(new double[] {Math.log(1), Math.log(3)}, 1, 2); // softmax = (0.25, 0.75)
        Tensor d = tensor(new double[] {10, 20}, 1, 2);
        double loss = loss(logits, new double[] {1}, d, 0.4);
        assertEquals(0.4 * -Math.log(0.75), loss, EXACT);
        assertArrayEquals(new double[] {10 + 0.4 * 0.25, 20 + 0.4 * (0.75 - 1)}, backend.download(d), EXACT);
    }

    @Test
    void crossEntropyAddsIntoTheLossTensor() {
        Tensor logits = tensor(new double[] {Math.log(1), Math.log(3)}, 1, 2);
        Tensor labels = tensor(new double[] {1}, 1);
        Tensor d = backend.allocate(1, 2);
        Tensor loss = tensor(new double[] {2.5}, 1);
        backend.softmaxCrossEntropy(logits, labels, d, loss, 0.4);
        backend.softmaxCrossEntropy(logits, labels, d, loss, 1.0);
        assertEquals(2.5 + 1.4 * -Math.log(0.75), backend.download(loss)[0], 1e-15);
    }

    /** The loss one call adds into a zeroed [1] tensor. */
    private double loss(Tensor logits, double[] labels, Tensor d, double scale) {
        Tensor loss = backend.allocate(1);
        backend.softmaxCrossEntropy(logits, tensor(labels, labels.length), d, loss, scale);
        return backend.download(loss)[0];
    }

    @Test
    void sgdMomentumTwoStepsMatchTheClosedForm() {
        // without weight decay and with a constant gradient g from zero velocity:
        // v1 = g, p1 = p0 - lr g; v2 = (1 + m) g, p2 = p0 - lr (2 + m) g
        double lr = 0.1;
        double m = 0.9;
        double[] p0 = random.uniform(7);
        double[] g = random.uniform(7);
        Tensor param = tensor(p0, 7);
        Tensor grad = tensor(g, 7);
        Tensor velocity = backend.allocate(7);
        backend.sgdMomentum(param, grad, velocity, lr, m, 0.0);
        backend.sgdMomentum(param, grad, velocity, lr, m, 0.0);
        double[] expectedParam = new double[7];
        double[] expectedVelocity = new double[7];
        for (int i = 0; i < 7; i++) {
            expectedParam[i] = p0[i] - lr * (2 + m) * g[i];
            expectedVelocity[i] = (1 + m) * g[i];
        }
        assertArrayEquals(expectedParam, backend.download(param), EXACT, random.toString());
        assertArrayEquals(expectedVelocity, backend.download(velocity), EXACT, random.toString());
    }

    @Test
    void sgdWeightDecayIsFoldedIntoTheGradient() {
        // one step from zero velocity: p1 = p0 - lr (g + wd p0) = (1 - lr wd) p0 - lr g
        double lr = 0.05;
        double wd = 3e-4;
        double[] p0 = random.uniform(5);
        double[] g = random.uniform(5);
        double[] v0 = new double[5];
        Tensor param = tensor(p0, 5);
        Tensor velocity = tensor(v0, 5);
        backend.sgdMomentum(param, tensor(g, 5), velocity, lr, 0.9, wd);
        double[] expected = new double[5];
        for (int i = 0; i < 5; i++) {
            expected[i] = (1 - lr * wd) * p0[i] - lr * g[i];
        }
        assertArrayEquals(expected, backend.download(param), EXACT, random.toString());
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
