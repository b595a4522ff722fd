package org.spidernet.train;

/** Mean cross-entropy and accuracy of the classifier head over a dataset. */
public record Evaluation(double loss, double accuracy, int count) {
}
