package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.distinct;

import org.spidernet.backend.BatchNormExtents;
import org.spidernet.backend.BatchNormOps;
import org.spidernet.backend.Tensor;

/** Batch normalisation (training, inference, backward) for the {@link ReferenceBackend}, on {@link BatchNorm}. */
final class ReferenceBatchNorm implements BatchNormOps {
    private final Storage storage;

    ReferenceBatchNorm(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        BatchNormExtents e = BatchNormExtents.of(op, x.shape(), new String[] {"y"}, y.shape());
        double[] gs = perChannel(op, "gamma", gamma, e);
        double[] bs = perChannel(op, "beta", beta, e);
        double[] ms = perChannel(op, "saveMean", saveMean, e);
        double[] is = perChannel(op, "saveInvStd", saveInvStd, e);
        double[] rm = perChannel(op, "runMean", runMean, e);
        double[] rv = perChannel(op, "runVar", runVar, e);
        e.trainable(op, x.shape(), momentum, eps);
        BatchNormExtents.trainAliasing(op, x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar);
        BatchNorm.train(e.batch(), e.channels(), e.plane(), xs, gs, bs, ys, ms, is, rm, rv, momentum, eps);
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        String op = "batchNormEval";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        BatchNormExtents e = BatchNormExtents.of(op, x.shape(), new String[] {"y"}, y.shape());
        double[] gs = perChannel(op, "gamma", gamma, e);
        double[] bs = perChannel(op, "beta", beta, e);
        double[] rm = perChannel(op, "runMean", runMean, e);
        double[] rv = perChannel(op, "runVar", runVar, e);
        BatchNormExtents.positiveEps(op, eps);
        distinct(op, "y", y, "x", x);
        BatchNorm.eval(e.batch(), e.channels(), e.plane(), xs, gs, bs, rm, rv, ys, eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        double[] xs = storage.data(x, op, "x");
        double[] dys = storage.data(dy, op, "dy");
        double[] dxs = storage.data(dx, op, "dx");
        BatchNormExtents e = BatchNormExtents.of(op, x.shape(), new String[] {"dy", "dx"}, dy.shape(), dx.shape());
        double[] gs = perChannel(op, "gamma", gamma, e);
        double[] ms = perChannel(op, "saveMean", saveMean, e);
        double[] is = perChannel(op, "saveInvStd", saveInvStd, e);
        double[] dgs = perChannel(op, "dGamma", dGamma, e);
        double[] dbs = perChannel(op, "dBeta", dBeta, e);
        BatchNormExtents.backwardAliasing(op, x, dy, dx, dGamma, dBeta);
        BatchNorm.backward(e.batch(), e.channels(), e.plane(), xs, dys, gs, ms, is, dxs, dgs, dbs);
    }

    /** The storage of a [channels] parameter or statistics tensor, after checking its shape. */
    private double[] perChannel(String op, String name, Tensor t, BatchNormExtents e) {
        double[] d = storage.data(t, op, name);
        e.perChannel(op, name, t.shape());
        return d;
    }
}
