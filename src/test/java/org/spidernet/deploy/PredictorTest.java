package org.spidernet.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Top-k ranking and probabilities on made-up logits. */
class PredictorTest {
    private static final List<String> NAMES = List.of("zero", "one", "two", "three", "four");

    @Test
    void ranksByLogitWithSoftmaxProbabilities() {
        double[] logits = {9, 9, 9, 9, 9, /* row 1: */ 0.5, 2.0, -1.0, 2.0 - 1e-9, 1.0};
        List<ClassScore> top = Predictor.topK(logits, 1, 5, 3, NAMES);
        assertEquals(List.of(1, 3, 4), top.stream().map(ClassScore::index).toList());
        assertEquals(List.of("one", "three", "four"), top.stream().map(ClassScore::name).toList());
        double z = Math.exp(0.5) + Math.exp(2.0) + Math.exp(-1.0) + Math.exp(2.0 - 1e-9) + Math.exp(1.0);
        assertEquals(Math.exp(2.0) / z, top.get(0).probability(), 1e-12);
        assertEquals(Math.exp(1.0) / z, top.get(2).probability(), 1e-12);
        for (int r = 1; r < top.size(); r++) {
            assertTrue(top.get(r - 1).probability() >= top.get(r).probability());
        }
        double sum = top.stream().mapToDouble(ClassScore::probability).sum();
        assertTrue(sum < 1, "top 3 of 5 leave some probability out: " + sum);
        double all = Predictor.topK(logits, 1, 5, 5, NAMES).stream().mapToDouble(ClassScore::probability).sum();
        assertEquals(1.0, all, 1e-12);
    }

    @Test
    void equalLogitsRankTheLowerIndexFirstAsArgmaxDoes() {
        double[] logits = {1, 3, 0, 3, 3};
        assertEquals(List.of(1, 3, 4, 0, 2), Predictor.topK(logits, 0, 5, 5, NAMES).stream().map(ClassScore::index).toList());
        assertEquals(org.spidernet.train.Logits.argmax(logits, 0, 5), Predictor.topK(logits, 0, 5, 1, NAMES).get(0).index());
        // -0.0 and 0.0 are equal logits for argmax, so they are for the ranking too
        double[] zeros = {-0.0, 0.0, -1, -1, -1};
        assertEquals(0, Predictor.topK(zeros, 0, 5, 1, NAMES).get(0).index());
    }

    @Test
    void kOutsideOneToClassesIsRefused() {
        double[] logits = {1, 2, 3, 4, 5};
        assertThrows(IllegalArgumentException.class, () -> Predictor.topK(logits, 0, 5, 0, NAMES));
        assertThrows(IllegalArgumentException.class, () -> Predictor.topK(logits, 0, 5, 6, NAMES));
    }
}
