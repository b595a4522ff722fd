package org.spidernet.backend.reference;

import java.util.List;
import org.spidernet.backend.ConcatOps;
import org.spidernet.backend.ConcatShapes;
import org.spidernet.backend.Tensor;

/** Channel concatenation for the {@link ReferenceBackend}, on {@link Concat}. */
final class ReferenceConcat implements ConcatOps {
    private final Storage storage;

    ReferenceConcat(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        ConcatShapes e = ConcatShapes.forward(op, xs, y);
        double[] ys = storage.data(y, op, "y");
        double[][] parts = new double[e.parts()][];
        for (int j = 0; j < parts.length; j++) {
            parts[j] = storage.data(xs.get(j), op, "xs[" + j + "]");
        }
        for (int j = 0; j < parts.length; j++) {
            Concat.forwardBlock(e, j, parts[j], ys);
        }
    }

    @Override
    public void concatChannelsBackward(Tensor dy, int[] channels, List<Tensor> dxs) {
        String op = "concatChannelsBackward";
        ConcatShapes e = ConcatShapes.backward(op, dy, channels, dxs);
        double[] dys = storage.data(dy, op, "dy");
        double[][] grads = new double[e.parts()][];
        for (int j = 0; j < grads.length; j++) {
            grads[j] = dxs.get(j) == null ? null : storage.data(dxs.get(j), op, "dxs[" + j + "]");
        }
        for (int j = 0; j < grads.length; j++) {
            if (grads[j] != null) {
                Concat.backwardBlock(e, j, dys, grads[j]);
            }
        }
    }
}
