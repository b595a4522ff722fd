package org.spidernet.backend.cpu;

import org.nd4j.linalg.factory.Nd4j;
import org.spidernet.backend.LinearOps;
import org.spidernet.backend.LinearShapes;
import org.spidernet.backend.Tensor;

/**
 * The dense head y = x w^T + b on the {@link CpuBackend}: the matrix products on BLAS gemm
 * (accumulating with beta = 1 where the contract accumulates), the bias gradient summed here in
 * float64.
 */
final class Linear implements LinearOps {
    private final Storage storage;

    Linear(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "linear";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ws = storage.tensor(w, op, "w");
        CpuTensor bs = storage.tensor(b, op, "b");
        CpuTensor ys = storage.tensor(y, op, "y");
        LinearShapes.of(op, x.shape(), w.shape(), b.shape(), "y", y.shape());
        LinearShapes.forwardAliasing(op, x, w, b, y);
        if (ys.intSize() == 0) {
            return;
        }
        if (xs.intSize() == 0) {
            // K = 0: the product is empty and y is the bias alone
            ys.array().assign(0.0);
        } else {
            Nd4j.gemm(xs.array(), ws.array(), ys.array(), false, true, 1.0, 0.0);
        }
        ys.array().addiRowVector(bs.array());
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ws = storage.tensor(w, op, "w");
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dxs = dx == null ? null : storage.tensor(dx, op, "dx");
        CpuTensor dws = storage.tensor(dw, op, "dw");
        CpuTensor dbs = storage.tensor(db, op, "db");
        LinearShapes d = LinearShapes.backward(op, x.shape(), w.shape(), db.shape(), dy.shape(), dw.shape(),
                dx == null ? null : dx.shape());
        LinearShapes.backwardAliasing(op, x, w, dy, dx, dw, db);
        if (dys.intSize() == 0) {
            return;
        }
        if (dxs != null && dxs.intSize() > 0) {
            // dx [N,K] += dy [N,M] * w [M,K]
            Nd4j.gemm(dys.array(), ws.array(), dxs.array(), false, false, 1.0, 1.0);
        }
        if (dws.intSize() > 0) {
            // dw [M,K] += dy^T [M,N] * x [N,K]
            Nd4j.gemm(dys.array(), xs.array(), dws.array(), true, false, 1.0, 1.0);
        }
        int batch = d.batch();
        int outFeatures = d.outFeatures();
        float[] g = dys.floats();
        float[] bias = dbs.floats();
        for (int m = 0; m < outFeatures; m++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                sum += g[n * outFeatures + m];
            }
            bias[m] += (float) sum;
        }
        dbs.buffer().put(0, bias, 0, outFeatures);
    }
}
