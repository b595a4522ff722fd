package org.spidernet.backend.cuda;

import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.LossOps;
import org.spidernet.backend.LossShapes;
import org.spidernet.backend.Tensor;

/**
 * The classifier's loss: softmax cross-entropy over [N, classes] logits with its gradient. The
 * labels are read on the device (a bad one makes the loss NaN) and the loss stays there too, so
 * the op does not wait for the host and can be part of a captured step.
 */
final class SoftmaxCrossEntropy implements LossOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    SoftmaxCrossEntropy(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        CudaTensor ls = storage.tensor(logits, op, "logits");
        CudaTensor ds = storage.tensor(dLogits, op, "dLogits");
        CudaTensor lbs = storage.tensor(labels, op, "labels");
        CudaTensor out = storage.tensor(loss, op, "loss");
        LossShapes d = LossShapes.of(op, ls.shape(), ds.shape(), out.shape());
        LossShapes.aliasing(op, logits, labels, dLogits, loss);
        int batch = d.batch();
        int classes = d.classes();
        ClassLabels.checkShape(op, lbs.shape(), batch, ls.shape());
        long workspaceBytes = CudaNative.softmaxCrossEntropyWorkspaceBytes(batch);
        long base = stream.workspace(op, workspaceBytes);
        stream.check(CudaNative.softmaxCrossEntropy(stream.handle(), ls.pointer(), lbs.pointer(), ds.pointer(), batch,
                classes, scale, base, workspaceBytes, out.pointer()), "snc_softmax_cross_entropy");
    }
}
