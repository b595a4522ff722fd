package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

/** Argument mismatches are IllegalArgumentExceptions whose messages name the shapes involved. */
class ReferenceShapeCheckTest {
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
    void convolutionWithWrongWeightShape() {
        Tensor x = backend.allocate(2, 3, 5, 7);
        Tensor w = backend.allocate(4, 2, 3, 3); // needs [4, 3, 3, 3]
        Tensor y = backend.allocate(2, 4, 5, 7);
        assertMessageNames(() -> backend.conv2d(x, w, y, ConvGeometry.dense(3, 1, 1)),
                "[4, 2, 3, 3]", "[4, 3, 3, 3]", "[2, 3, 5, 7]");
    }

    @Test
    void convolutionWithWrongOutputShape() {
        Tensor x = backend.allocate(2, 3, 5, 7);
        Tensor w = backend.allocate(3, 1, 3, 3);
        Tensor y = backend.allocate(2, 3, 5, 7); // stride 2 gives 3 x 4
        assertMessageNames(() -> backend.conv2d(x, w, y, new ConvGeometry(3, 2, 1, 1, 3)),
                "[2, 3, 5, 7]", "[2, 3, 3, 4]");
    }

    @Test
    void channelsNotDivisibleByGroups() {
        Tensor x = backend.allocate(1, 3, 4, 4);
        Tensor w = backend.allocate(4, 1, 1, 1);
        Tensor y = backend.allocate(1, 4, 4, 4);
        assertMessageNames(() -> backend.conv2d(x, w, y, new ConvGeometry(1, 1, 0, 1, 2)), "[1, 3, 4, 4]", "groups");
    }

    @Test
    void inputSmallerThanTheKernel() {
        // (2 - 3) / 2 + 1 would claim one output; there is no valid window at all
        Tensor x = backend.allocate(1, 1, 2, 2);
        Tensor w = backend.allocate(1, 1, 3, 3);
        Tensor y = backend.allocate(1, 1, 1, 1);
        assertMessageNames(() -> backend.conv2d(x, w, y, ConvGeometry.dense(3, 2, 0)), "smaller", "[1, 1, 2, 2]");
    }

    @Test
    void poolingOutputOfTheWrongSize() {
        Tensor x = backend.allocate(1, 2, 5, 5);
        Tensor y = backend.allocate(1, 2, 5, 5); // stride 2 gives 3 x 3
        assertMessageNames(() -> backend.maxPool(x, y, new PoolGeometry(3, 2, 1)), "[1, 2, 5, 5]", "[1, 2, 3, 3]");
    }

    @Test
    void subsampleNeedsCeilingSize() {
        Tensor x = backend.allocate(1, 1, 5, 7);
        Tensor y = backend.allocate(1, 1, 2, 3); // floor sizes; ceil(5/2) = 3, ceil(7/2) = 4
        assertMessageNames(() -> backend.subsample(x, y, 2), "[1, 1, 2, 3]", "[1, 1, 3, 4]");
    }

    @Test
    void batchNormParameterOfTheWrongLength() {
        Tensor x = backend.allocate(2, 3, 4, 4);
        Tensor y = backend.allocate(2, 3, 4, 4);
        Tensor good = backend.allocate(3);
        Tensor bad = backend.allocate(4);
        assertMessageNames(() -> backend.batchNormTrain(x, bad, good, y, good, good, good, good, 0.1, 1e-5),
                "gamma", "[4]", "[3]");
    }

    @Test
    void linearWithMismatchedInnerDimension() {
        Tensor x = backend.allocate(2, 5);
        Tensor w = backend.allocate(3, 4);
        Tensor b = backend.allocate(3);
        Tensor y = backend.allocate(2, 3);
        assertMessageNames(() -> backend.linear(x, w, b, y), "[2, 5]", "[3, 4]");
    }

    @Test
    void elementwiseShapeMismatch() {
        Tensor a = backend.allocate(2, 3);
        Tensor b = backend.allocate(7);
        assertMessageNames(() -> backend.axpy(1, a, b), "[2, 3]", "[7]");
        assertMessageNames(() -> backend.relu(a, backend.allocate(3, 2)), "[2, 3]", "[3, 2]");
    }

    @Test
    void uploadOfTheWrongLength() {
        Tensor t = backend.allocate(2, 3);
        assertMessageNames(() -> backend.upload(t, new double[5]), "5", "[2, 3]");
    }

    @Test
    void crossEntropyRejectsLabelsOutsideTheClasses() {
        Tensor logits = backend.allocate(2, 4);
        Tensor d = backend.allocate(2, 4);
        Tensor loss = backend.allocate(1);
        assertMessageNames(() -> backend.softmaxCrossEntropy(logits, labels(1, 4), d, loss, 1), "label 4", "[2, 4]");
        assertMessageNames(() -> backend.softmaxCrossEntropy(logits, labels(-1, 0), d, loss, 1), "label -1");
        assertMessageNames(() -> backend.softmaxCrossEntropy(logits, labels(0, 1.5), d, loss, 1), "label 1.5",
                "not an integer");
        assertMessageNames(() -> backend.softmaxCrossEntropy(logits, labels(0), d, loss, 1), "labels has shape [1]",
                "[2, 4]");
        assertMessageNames(() -> backend.softmaxCrossEntropy(logits, labels(0, 1), d, backend.allocate(2), 1),
                "loss has shape [2]");
    }

    private Tensor labels(double... values) {
        Tensor t = backend.allocate(values.length);
        backend.upload(t, values);
        return t;
    }

    @Test
    void perSampleScaleOfTheWrongLength() {
        Tensor x = backend.allocate(3, 2);
        Tensor y = backend.allocate(3, 2);
        Tensor factors = backend.allocate(4, 2);
        assertMessageNames(() -> backend.scaleAddPerSample(x, factors, 0, 1.0, y), "[4, 2]", "[3, 2]");
        Tensor rows = backend.allocate(4, 3);
        assertMessageNames(() -> backend.scaleAddPerSample(x, rows, 4, 1.0, y), "row 4", "[4, 3]");
    }

    @Test
    void outputMustNotAliasAnInputOfANonElementwiseOp() {
        Tensor x = backend.allocate(1, 2, 5, 5);
        assertMessageNames(() -> backend.avgPool(x, x, new PoolGeometry(3, 1, 1)), "must not be the same tensor");
    }

    private static void assertMessageNames(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message should name " + fragment + ": " + e.getMessage());
        }
    }
}
