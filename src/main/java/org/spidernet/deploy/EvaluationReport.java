package org.spidernet.deploy;

import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.Network;
import org.spidernet.train.Evaluation;
import org.spidernet.train.EvaluationPass;

import java.util.List;

/**
 * How a trained network does on a labelled dataset: accuracy and mean cross-entropy (the same
 * {@link Evaluation} the trainer reports, from the same code), the confusion matrix, and the
 * true and predicted class of every image, in dataset order.
 */
public record EvaluationReport(String dataset, String backend, List<String> classNames, Evaluation evaluation,
                               ConfusionMatrix confusion, int[] labels, int[] predicted) {

    public EvaluationReport {
        classNames = List.copyOf(classNames);
        if (classNames.size() != confusion.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + confusion.classes() + " classes");
        }
        if (labels.length != evaluation.count() || predicted.length != evaluation.count()) {
            throw new IllegalArgumentException(labels.length + " labels and " + predicted.length + " predictions for "
                    + evaluation.count() + " images");
        }
        labels = labels.clone();
        predicted = predicted.clone();
    }

    /**
     * Runs {@code net} (holding trained weights, its batch size any) over {@code data} in
     * evaluation mode with input normalisation {@code stats}.
     */
    public static EvaluationReport compute(Network net, ImageDataset data, ChannelStats stats, List<String> classNames,
                                           String dataset, String backend) {
        EvaluationCollector collector = new EvaluationCollector(data.labels(), net.plan().classes());
        EvaluationPass.run(net, data, stats, collector);
        return collector.report(dataset, backend, classNames);
    }

    public double accuracy() {
        return evaluation.accuracy();
    }

    public double loss() {
        return evaluation.loss();
    }

    public int count() {
        return evaluation.count();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int[] predicted() {
        return predicted.clone();
    }
}
