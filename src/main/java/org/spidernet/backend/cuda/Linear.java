package org.spidernet.backend.cuda;

import org.spidernet.backend.LinearOps;
import org.spidernet.backend.LinearShapes;
import org.spidernet.backend.Tensor;

/** The fully connected head y [N,M] = x [N,K] w [M,K]^T + b [M] and its backward pass. */
final class Linear implements LinearOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    Linear(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "linear";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ws = storage.tensor(w, op, "w");
        CudaTensor bs = storage.tensor(b, op, "b");
        CudaTensor ys = storage.tensor(y, op, "y");
        LinearShapes d = LinearShapes.of(op, xs.shape(), ws.shape(), bs.shape(), "y", ys.shape());
        LinearShapes.forwardAliasing(op, x, w, b, y);
        stream.check(CudaNative.linearForward(stream.handle(), xs.pointer(), ws.pointer(), bs.pointer(), ys.pointer(),
                d.batch(), d.inFeatures(), d.outFeatures()), "snc_linear_forward");
    }

    /** {@code dx} may be null (the head's input needs no gradient). */
    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ws = storage.tensor(w, op, "w");
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = dx == null ? null : storage.tensor(dx, op, "dx");
        CudaTensor dws = storage.tensor(dw, op, "dw");
        CudaTensor dbs = storage.tensor(db, op, "db");
        LinearShapes d = LinearShapes.backward(op, xs.shape(), ws.shape(), dbs.shape(), dys.shape(), dws.shape(),
                dxs == null ? null : dxs.shape());
        LinearShapes.backwardAliasing(op, x, w, dy, dx, dw, db);
        stream.check(CudaNative.linearBackward(stream.handle(), xs.pointer(), ws.pointer(), dys.pointer(),
                dxs == null ? 0L : dxs.pointer(), dws.pointer(), dbs.pointer(), d.batch(), d.inFeatures(),
                d.outFeatures()), "snc_linear_backward");
    }
}
