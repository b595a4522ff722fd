package org.spidernet.deploy;

import org.junit.jupiter.api.Test;
import org.spidernet.train.Evaluation;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The confusion matrix, per-class accuracy and figures of a report, worked out by hand on made-up logits. */
class EvaluationCollectorTest {
    private static final List<String> NAMES = List.of("a", "b", "c");

    /** Six images of three classes, labels 0 0 1 1 1 2, predicted (argmax of each row) 0 1 1 1 2 2. */
    private static final int[] LABELS = {0, 0, 1, 1, 1, 2};
    private static final double[] LOGITS = {
            3, 1, 0,       // -> 0, right
            0, 2, 1,       // -> 1, wrong (class 0)
            0, 5, 0,       // -> 1, right
            1, 1.5, -1,    // -> 1, right
            0, 1, 2,       // -> 2, wrong (class 1)
            0, 0.5, 0.75,  // -> 2, right
    };

    private static EvaluationReport collect(int batch) {
        EvaluationCollector c = new EvaluationCollector(LABELS, 3);
        // in batches, with the last one short, as an evaluation pass delivers them
        for (int first = 0; first < LABELS.length; first += batch) {
            int n = Math.min(batch, LABELS.length - first);
            double[] rows = new double[batch * 3];
            System.arraycopy(LOGITS, first * 3, rows, 0, n * 3);
            java.util.Arrays.fill(rows, n * 3, rows.length, 99); // padding rows must be ignored
            c.accept(first, n, rows);
        }
        return c.report("toy", "none", NAMES);
    }

    @Test
    void confusionAndPerClassAccuracyAreTheHandCountedOnes() {
        EvaluationReport r = collect(4);
        ConfusionMatrix cm = r.confusion();
        long[][] expected = {
                {1, 1, 0},
                {0, 2, 1},
                {0, 0, 1}};
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(expected[t], cm.toArray()[t], "row " + t);
        }
        assertEquals(2, cm.classCount(0));
        assertEquals(3, cm.classCount(1));
        assertEquals(1, cm.classCount(2));
        assertEquals(0.5, cm.classAccuracy(0));
        assertEquals(2 / 3.0, cm.classAccuracy(1));
        assertEquals(1.0, cm.classAccuracy(2));
        assertEquals(4, cm.correct());
        assertEquals(6, cm.total());
        assertEquals(4 / 6.0, r.accuracy());
        assertArrayEquals(new int[]{0, 1, 1, 1, 2, 2}, r.predicted());
        assertArrayEquals(LABELS, r.labels());
    }

    @Test
    void lossIsTheMeanCrossEntropyAndMatchesTheTrainersTallyBitForBit() {
        double sum = 0;
        for (int i = 0; i < LABELS.length; i++) {
            double z = 0;
            for (int k = 0; k < 3; k++) {
                z += Math.exp(LOGITS[i * 3 + k]);
            }
            sum += -Math.log(Math.exp(LOGITS[i * 3 + LABELS[i]]) / z);
        }
        EvaluationReport r = collect(4);
        assertEquals(sum / 6, r.loss(), 1e-12);

        Evaluation.Tally tally = new Evaluation.Tally(3);
        tally.add(java.util.Arrays.copyOfRange(LOGITS, 0, 12), new int[]{0, 0, 1, 1}, 4);
        tally.add(java.util.Arrays.copyOfRange(LOGITS, 12, 18), new int[]{1, 2}, 2);
        assertEquals(tally.result(), r.evaluation());
    }

    @Test
    void aClassWithoutImagesHasNoAccuracyRatherThanZero() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(0, 0);
        cm.add(1, 0);
        assertTrue(Double.isNaN(cm.classAccuracy(2)));
        assertEquals(0.0, cm.classAccuracy(1));
    }

    @Test
    void batchesOutOfOrderOrMissingAreRefused() {
        EvaluationCollector c = new EvaluationCollector(LABELS, 3);
        assertThrows(IllegalStateException.class, () -> c.accept(3, 3, LOGITS));
        c.accept(0, 3, LOGITS);
        assertThrows(IllegalStateException.class, () -> c.report("toy", "none", NAMES));
    }
}
