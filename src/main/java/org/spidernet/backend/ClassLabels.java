package org.spidernet.backend;

import java.util.Arrays;

/**
 * Class ids held in a tensor (the labels of {@link Backend#softmaxCrossEntropy}): each element
 * an integer value in [0, classes), exact in float32 below 2^24. Shared by the host backends,
 * which check every label as they read it.
 */
public final class ClassLabels {
    private ClassLabels() {
    }

    /** The labels tensor must be [batch], one class id per row of logits. */
    public static void checkShape(String op, int[] labelShape, int batch, int[] logitsShape) {
        if (labelShape.length != 1 || labelShape[0] != batch) {
            throw new IllegalArgumentException(op + ": labels has shape " + Arrays.toString(labelShape) + ", expected ["
                    + batch + "] for logits " + Arrays.toString(logitsShape));
        }
    }

    /** The labels [batch] as ints; an {@link IllegalArgumentException} names the first bad one. */
    public static int[] read(String op, double[] values, int[] labelShape, int batch, int classes, int[] logitsShape) {
        checkShape(op, labelShape, batch, logitsShape);
        int[] labels = new int[batch];
        for (int n = 0; n < batch; n++) {
            double v = values[n];
            if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
                throw new IllegalArgumentException(op + ": label " + v + " at sample " + n + " is outside [0, " + classes
                        + ") or not an integer, for logits " + Arrays.toString(logitsShape));
            }
            labels[n] = (int) v;
        }
        return labels;
    }
}
