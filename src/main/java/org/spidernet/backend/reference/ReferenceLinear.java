package org.spidernet.backend.reference;

import org.spidernet.backend.LinearOps;
import org.spidernet.backend.LinearShapes;
import org.spidernet.backend.Tensor;

/** The dense head's forward and backward passes for the {@link ReferenceBackend}, on {@link Linear}. */
final class ReferenceLinear implements LinearOps {
    private final Storage storage;

    ReferenceLinear(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "linear";
        double[] xs = storage.data(x, op, "x");
        double[] ws = storage.data(w, op, "w");
        double[] bs = storage.data(b, op, "b");
        double[] ys = storage.data(y, op, "y");
        LinearShapes d = LinearShapes.of(op, x.shape(), w.shape(), b.shape(), "y", y.shape());
        LinearShapes.forwardAliasing(op, x, w, b, y);
        Linear.forward(d.batch(), d.inFeatures(), d.outFeatures(), xs, ws, bs, ys);
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        double[] xs = storage.data(x, op, "x");
        double[] ws = storage.data(w, op, "w");
        double[] dys = storage.data(dy, op, "dy");
        double[] dxs = dx == null ? null : storage.data(dx, op, "dx");
        double[] dws = storage.data(dw, op, "dw");
        double[] dbs = storage.data(db, op, "db");
        LinearShapes d = LinearShapes.backward(op, x.shape(), w.shape(), db.shape(), dy.shape(), dw.shape(),
                dx == null ? null : dx.shape());
        LinearShapes.backwardAliasing(op, x, w, dy, dx, dw, db);
        Linear.backward(d.batch(), d.inFeatures(), d.outFeatures(), xs, ws, dys, dxs, dws, dbs);
    }
}
