package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.str;

import java.util.Arrays;
import org.spidernet.backend.Tensor;

/**
 * The classifier's loss: softmax cross-entropy over [N, classes] logits with its gradient. The
 * labels are read on the device (a bad one makes the loss NaN) and the loss stays there too, so
 * the op does not wait for the host and can be part of a captured step.
 */
final class SoftmaxCrossEntropy {
    private final DeviceStream stream;
    private final TensorStorage storage;

    SoftmaxCrossEntropy(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    void run(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        CudaTensor ls = storage.tensor(logits, op, "logits");
        CudaTensor ds = storage.tensor(dLogits, op, "dLogits");
        CudaTensor lbs = storage.tensor(labels, op, "labels");
        CudaTensor out = storage.tensor(loss, op, "loss");
        rank(op, "logits", ls.shape(), 2);
        sameShape(op, "logits", ls.shape(), "dLogits", ds.shape());
        distinct(op, "dLogits", dLogits, "logits", logits);
        require(out.size() == 1, op + ": loss has shape " + str(out.shape()) + ", expected [1]");
        for (Tensor in : new Tensor[] {logits, labels, dLogits}) {
            distinct(op, "loss", loss, "an input", in);
        }
        int batch = ls.shape()[0];
        int classes = ls.shape()[1];
        require(batch >= 1 && classes >= 1, op + ": logits " + str(ls.shape()) + " is empty");
        require(Arrays.equals(lbs.shape(), new int[] {batch}), op + ": labels has shape " + str(lbs.shape())
                + ", expected [" + batch + "] for logits " + str(ls.shape()));
        long workspaceBytes = CudaNative.softmaxCrossEntropyWorkspaceBytes(batch);
        long base = stream.workspace(op, workspaceBytes);
        stream.check(CudaNative.softmaxCrossEntropy(stream.handle(), ls.pointer(), lbs.pointer(), ds.pointer(), batch,
                classes, scale, base, workspaceBytes, out.pointer()), "snc_softmax_cross_entropy");
    }
}
