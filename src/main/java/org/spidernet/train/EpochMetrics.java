package org.spidernet.train;

/** What one epoch produced; {@code openGates} counts gates open at the epoch's end, {@code pruned} the ops deleted so far. */
public record EpochMetrics(int epoch, double learningRate, double trainLoss, double trainAccuracy,
                           double validationLoss, double validationAccuracy, int openGates, int pruned,
                           double seconds, double imagesPerSecond) {
}
