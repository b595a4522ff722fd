package org.spidernet.train;

import java.util.List;

/** Observes a training run: progress for a bar, epochs for logs, deletions for the event log. */
public interface TrainingListener {
    default void epochStarted(int epoch, int steps) {
    }

    default void stepFinished(int epoch, int step, double loss) {
    }

    default void epochFinished(EpochMetrics metrics) {
    }

    default void opsDeleted(int epoch, List<String> labels) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
