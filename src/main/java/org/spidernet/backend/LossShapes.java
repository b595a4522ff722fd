package org.spidernet.backend;

import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

/**
 * Extents of one softmax cross-entropy call: logits [N, classes] non-empty, dLogits shaped like
 * it, a one-element loss. The labels are checked as they are read ({@link ClassLabels}). The one
 * home of these rules for every backend.
 */
public record LossShapes(int batch, int classes) {

    public static LossShapes of(String op, int[] logits, int[] dLogits, int[] loss) {
        rank(op, "logits", logits, 2);
        ShapeCheck.sameShape(op, "logits", logits, "dLogits", dLogits);
        require(Tensor.elementCount(loss) == 1, op + ": loss has shape " + str(loss) + ", expected [1]");
        require(logits[0] >= 1 && logits[1] >= 1, op + ": logits " + str(logits) + " is empty");
        return new LossShapes(logits[0], logits[1]);
    }

    /** dLogits is not logits; the loss, accumulated into, is none of the inputs. */
    public static void aliasing(String op, Tensor logits, Tensor labels, Tensor dLogits, Tensor loss) {
        ShapeCheck.distinct(op, "dLogits", dLogits, "logits", logits);
        for (Tensor in : new Tensor[] {logits, labels, dLogits}) {
            ShapeCheck.distinct(op, "loss", loss, "an input", in);
        }
    }
}
