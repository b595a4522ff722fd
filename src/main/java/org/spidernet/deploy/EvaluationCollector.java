package org.spidernet.deploy;

import org.spidernet.train.Evaluation;
import org.spidernet.train.EvaluationPass;
import org.spidernet.train.Logits;

import java.util.Arrays;
import java.util.List;

/**
 * Gathers an {@link EvaluationReport} from the batches of logits of an {@link EvaluationPass}:
 * the loss and accuracy through {@link Evaluation.Tally} (so they are bit-identical to the
 * trainer's), each image's prediction through {@link Logits#argmax} (so the confusion matrix's
 * trace is the tally's correct count).
 */
public final class EvaluationCollector implements EvaluationPass.BatchLogits {
    private final int[] labels;
    private final int classes;
    private final int[] predicted;
    private final Evaluation.Tally tally;
    private final ConfusionMatrix confusion;
    private int seen;

    /** For a dataset whose true classes, in order, are {@code labels}. */
    public EvaluationCollector(int[] labels, int classes) {
        this.labels = labels.clone();
        this.classes = classes;
        this.predicted = new int[labels.length];
        this.tally = new Evaluation.Tally(classes);
        this.confusion = new ConfusionMatrix(classes);
    }

    @Override
    public void accept(int first, int count, double[] logits) {
        if (first != seen) {
            throw new IllegalStateException("batches out of order: expected image " + seen + ", got " + first);
        }
        int[] batchLabels = Arrays.copyOfRange(labels, first, first + count);
        tally.add(logits, batchLabels, count);
        for (int i = 0; i < count; i++) {
            int p = Logits.argmax(logits, i, classes);
            predicted[first + i] = p;
            confusion.add(batchLabels[i], p);
        }
        seen += count;
    }

    /** The report; every image must have been seen. */
    public EvaluationReport report(String dataset, String backend, List<String> classNames) {
        if (seen != labels.length) {
            throw new IllegalStateException("saw " + seen + " of " + labels.length + " images");
        }
        return new EvaluationReport(dataset, backend, classNames, tally.result(), confusion, labels, predicted);
    }
}
