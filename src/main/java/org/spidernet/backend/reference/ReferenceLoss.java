package org.spidernet.backend.reference;

import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.LossOps;
import org.spidernet.backend.LossShapes;
import org.spidernet.backend.Tensor;

/** The softmax cross-entropy loss of the {@link ReferenceBackend}, on {@link SoftmaxCrossEntropy}. */
final class ReferenceLoss implements LossOps {
    private final Storage storage;

    ReferenceLoss(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        double[] ls = storage.data(logits, op, "logits");
        double[] ds = storage.data(dLogits, op, "dLogits");
        double[] lbl = storage.data(labels, op, "labels");
        double[] out = storage.data(loss, op, "loss");
        LossShapes d = LossShapes.of(op, logits.shape(), dLogits.shape(), loss.shape());
        LossShapes.aliasing(op, logits, labels, dLogits, loss);
        int[] ids = ClassLabels.read(op, lbl, labels.shape(), d.batch(), d.classes(), logits.shape());
        out[0] += scale * SoftmaxCrossEntropy.forwardBackward(d.batch(), d.classes(), ls, ids, ds, scale);
    }
}
