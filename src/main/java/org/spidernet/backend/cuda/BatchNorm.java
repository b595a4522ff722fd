package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.require;

import org.spidernet.backend.BatchNormExtents;
import org.spidernet.backend.BatchNormOps;
import org.spidernet.backend.Tensor;

/**
 * Batch normalisation over [N,C,H,W] per channel: training (batch statistics, running averages
 * updated), evaluation (running statistics) and the backward pass, with float32 arithmetic on
 * the device; momentum and eps are passed as float32.
 */
final class BatchNorm implements BatchNormOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    BatchNorm(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        BatchNormExtents e = BatchNormExtents.of(op, xs.shape(), new String[] {"y"}, ys.shape());
        int channels = e.channels();
        CudaTensor gs = perChannel(op, "gamma", gamma, e);
        CudaTensor bs = perChannel(op, "beta", beta, e);
        CudaTensor ms = perChannel(op, "saveMean", saveMean, e);
        CudaTensor is = perChannel(op, "saveInvStd", saveInvStd, e);
        CudaTensor rm = perChannel(op, "runMean", runMean, e);
        CudaTensor rv = perChannel(op, "runVar", runVar, e);
        e.trainable(op, xs.shape(), momentum, eps);
        float32Eps(op, eps);
        BatchNormExtents.trainAliasing(op, x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar);
        if (channels == 0) {
            return;
        }
        stream.check(CudaNative.batchNormTrain(stream.handle(), xs.pointer(), gs.pointer(), bs.pointer(), ys.pointer(),
                ms.pointer(), is.pointer(), rm.pointer(), rv.pointer(), e.batch(), channels, e.plane(), (float) momentum,
                (float) eps), "snc_batch_norm_train");
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        String op = "batchNormEval";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        BatchNormExtents e = BatchNormExtents.of(op, xs.shape(), new String[] {"y"}, ys.shape());
        CudaTensor gs = perChannel(op, "gamma", gamma, e);
        CudaTensor bs = perChannel(op, "beta", beta, e);
        CudaTensor rm = perChannel(op, "runMean", runMean, e);
        CudaTensor rv = perChannel(op, "runVar", runVar, e);
        BatchNormExtents.positiveEps(op, eps);
        float32Eps(op, eps);
        distinct(op, "y", y, "x", x);
        if (xs.size() == 0) {
            return;
        }
        stream.check(CudaNative.batchNormEval(stream.handle(), xs.pointer(), gs.pointer(), bs.pointer(), rm.pointer(),
                rv.pointer(), ys.pointer(), e.batch(), e.channels(), e.plane(), (float) eps), "snc_batch_norm_eval");
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                                  Tensor dGamma,
                                  Tensor dBeta) {
        String op = "batchNormBackward";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        BatchNormExtents e = BatchNormExtents.of(op, xs.shape(), new String[] {"dy", "dx"}, dys.shape(),
                dxs.shape());
        CudaTensor gs = perChannel(op, "gamma", gamma, e);
        CudaTensor ms = perChannel(op, "saveMean", saveMean, e);
        CudaTensor is = perChannel(op, "saveInvStd", saveInvStd, e);
        CudaTensor dgs = perChannel(op, "dGamma", dGamma, e);
        CudaTensor dbs = perChannel(op, "dBeta", dBeta, e);
        BatchNormExtents.backwardAliasing(op, x, dy, dx, dGamma, dBeta);
        if (xs.size() == 0) {
            return;
        }
        stream.check(CudaNative.batchNormBackward(stream.handle(), xs.pointer(), dys.pointer(), gs.pointer(),
                ms.pointer(), is.pointer(), dxs.pointer(), dgs.pointer(), dbs.pointer(), e.batch(), e.channels(),
                e.plane()), "snc_batch_norm_backward");
    }

    /** The device computes in float32: a positive eps must stay positive there. */
    private static void float32Eps(String op, double eps) {
        require((float) eps > 0, op + ": eps " + eps + " rounds to 0 in float32");
    }

    private CudaTensor perChannel(String op, String name, Tensor t, BatchNormExtents e) {
        CudaTensor d = storage.tensor(t, op, name);
        e.perChannel(op, name, d.shape());
        return d;
    }
}
