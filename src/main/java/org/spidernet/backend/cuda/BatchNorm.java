package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.shape;
import static org.spidernet.backend.ShapeCheck.str;

import org.spidernet.backend.Tensor;

/**
 * Batch normalisation over [N,C,H,W] per channel: training (batch statistics, running averages
 * updated), evaluation (running statistics) and the backward pass, with float32 arithmetic on
 * the device; momentum and eps are passed as float32.
 */
final class BatchNorm {
    private final DeviceStream stream;
    private final TensorStorage storage;

    BatchNorm(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    void train(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        rank(op, "x", xs.shape(), 4);
        sameShape(op, "x", xs.shape(), "y", ys.shape());
        int[] s = xs.shape();
        int channels = s[1];
        CudaTensor gs = perChannel(op, "gamma", gamma, channels);
        CudaTensor bs = perChannel(op, "beta", beta, channels);
        CudaTensor ms = perChannel(op, "saveMean", saveMean, channels);
        CudaTensor is = perChannel(op, "saveInvStd", saveInvStd, channels);
        CudaTensor rm = perChannel(op, "runMean", runMean, channels);
        CudaTensor rv = perChannel(op, "runVar", runVar, channels);
        long plane = (long) s[2] * s[3];
        require((long) s[0] * plane >= 2, op + ": needs at least 2 values per channel, x has shape " + str(s));
        require(eps > 0, op + ": eps must be positive, got " + eps);
        require(momentum >= 0 && momentum <= 1, op + ": momentum must be in [0, 1], got " + momentum);
        require((float) eps > 0, op + ": eps " + eps + " rounds to 0 in float32");
        for (Tensor out : new Tensor[] {y, saveMean, saveInvStd, runMean, runVar}) {
            distinct(op, "an output", out, "x", x);
            distinct(op, "an output", out, "gamma", gamma);
            distinct(op, "an output", out, "beta", beta);
        }
        if (channels == 0) {
            return;
        }
        stream.check(CudaNative.batchNormTrain(stream.handle(), xs.pointer(), gs.pointer(), bs.pointer(), ys.pointer(),
                ms.pointer(), is.pointer(), rm.pointer(), rv.pointer(), s[0], channels, plane, (float) momentum,
                (float) eps), "snc_batch_norm_train");
    }

    void eval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y, double eps) {
        String op = "batchNormEval";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        rank(op, "x", xs.shape(), 4);
        sameShape(op, "x", xs.shape(), "y", ys.shape());
        int[] s = xs.shape();
        int channels = s[1];
        CudaTensor gs = perChannel(op, "gamma", gamma, channels);
        CudaTensor bs = perChannel(op, "beta", beta, channels);
        CudaTensor rm = perChannel(op, "runMean", runMean, channels);
        CudaTensor rv = perChannel(op, "runVar", runVar, channels);
        require(eps > 0 && (float) eps > 0, op + ": eps must be positive in float32, got " + eps);
        distinct(op, "y", y, "x", x);
        if (xs.size() == 0) {
            return;
        }
        stream.check(CudaNative.batchNormEval(stream.handle(), xs.pointer(), gs.pointer(), bs.pointer(), rm.pointer(),
                rv.pointer(), ys.pointer(), s[0], channels, (long) s[2] * s[3], (float) eps), "snc_batch_norm_eval");
    }

    void backward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dGamma,
                  Tensor dBeta) {
        String op = "batchNormBackward";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        rank(op, "x", xs.shape(), 4);
        sameShape(op, "x", xs.shape(), "dy", dys.shape());
        sameShape(op, "x", xs.shape(), "dx", dxs.shape());
        int[] s = xs.shape();
        int channels = s[1];
        CudaTensor gs = perChannel(op, "gamma", gamma, channels);
        CudaTensor ms = perChannel(op, "saveMean", saveMean, channels);
        CudaTensor is = perChannel(op, "saveInvStd", saveInvStd, channels);
        CudaTensor dgs = perChannel(op, "dGamma", dGamma, channels);
        CudaTensor dbs = perChannel(op, "dBeta", dBeta, channels);
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dGamma", dGamma, "dBeta", dBeta);
        if (xs.size() == 0) {
            return;
        }
        stream.check(CudaNative.batchNormBackward(stream.handle(), xs.pointer(), dys.pointer(), gs.pointer(),
                ms.pointer(), is.pointer(), dxs.pointer(), dgs.pointer(), dbs.pointer(), s[0], channels,
                (long) s[2] * s[3]), "snc_batch_norm_backward");
    }

    private CudaTensor perChannel(String op, String name, Tensor t, int channels) {
        CudaTensor d = storage.tensor(t, op, name);
        shape(op, name, d.shape(), channels);
        return d;
    }
}
