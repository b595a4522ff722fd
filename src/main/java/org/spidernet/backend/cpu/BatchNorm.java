package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.distinct;

import org.spidernet.backend.BatchNormExtents;
import org.spidernet.backend.BatchNormOps;
import org.spidernet.backend.Tensor;

/**
 * Batch normalisation ops of the {@link CpuBackend}: the per-element passes on
 * {@link BatchNormKernels}, the [C] statistics and parameter updates here on the host, from the
 * kernels' float64 per-channel sums.
 */
final class BatchNorm implements BatchNormOps {
    private final Storage storage;
    private final WorkerPool pool;

    BatchNorm(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ys = storage.tensor(y, op, "y");
        BatchNormExtents e = BatchNormExtents.of(op, x.shape(), new String[] {"y"}, y.shape());
        int channels = e.channels();
        float[] gs = perChannel(op, "gamma", gamma, e);
        float[] bs = perChannel(op, "beta", beta, e);
        CpuTensor ms = perChannelTensor(op, "saveMean", saveMean, e);
        CpuTensor is = perChannelTensor(op, "saveInvStd", saveInvStd, e);
        float[] rm = perChannel(op, "runMean", runMean, e);
        float[] rv = perChannel(op, "runVar", runVar, e);
        e.trainable(op, x.shape(), momentum, eps);
        BatchNormExtents.trainAliasing(op, x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar);
        double[] mean = new double[channels];
        double[] invStd = new double[channels];
        double[] unbiasedVar = new double[channels];
        BatchNormKernels.train(pool, e.batch(), channels, e.plane(), xs.buffer(), gs, bs, ys.buffer(), eps, mean,
                invStd, unbiasedVar);
        float[] meanOut = new float[channels];
        float[] invStdOut = new float[channels];
        for (int c = 0; c < channels; c++) {
            meanOut[c] = (float) mean[c];
            invStdOut[c] = (float) invStd[c];
            rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mean[c]);
            rv[c] = (float) ((1 - momentum) * rv[c] + momentum * unbiasedVar[c]);
        }
        ms.buffer().put(0, meanOut, 0, channels);
        is.buffer().put(0, invStdOut, 0, channels);
        storage.tensor(runMean, op, "runMean").buffer().put(0, rm, 0, channels);
        storage.tensor(runVar, op, "runVar").buffer().put(0, rv, 0, channels);
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        String op = "batchNormEval";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ys = storage.tensor(y, op, "y");
        BatchNormExtents e = BatchNormExtents.of(op, x.shape(), new String[] {"y"}, y.shape());
        float[] gs = perChannel(op, "gamma", gamma, e);
        float[] bs = perChannel(op, "beta", beta, e);
        float[] rm = perChannel(op, "runMean", runMean, e);
        float[] rv = perChannel(op, "runVar", runVar, e);
        BatchNormExtents.positiveEps(op, eps);
        distinct(op, "y", y, "x", x);
        BatchNormKernels.eval(pool, e.batch(), e.channels(), e.plane(), xs.buffer(), gs, bs, rm, rv, ys.buffer(),
                eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                                  Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dxs = storage.tensor(dx, op, "dx");
        BatchNormExtents e = BatchNormExtents.of(op, x.shape(), new String[] {"dy", "dx"}, dy.shape(), dx.shape());
        int channels = e.channels();
        float[] gs = perChannel(op, "gamma", gamma, e);
        float[] ms = perChannel(op, "saveMean", saveMean, e);
        float[] is = perChannel(op, "saveInvStd", saveInvStd, e);
        float[] dgs = perChannel(op, "dGamma", dGamma, e);
        float[] dbs = perChannel(op, "dBeta", dBeta, e);
        BatchNormExtents.backwardAliasing(op, x, dy, dx, dGamma, dBeta);
        double[] sumDy = new double[channels];
        double[] sumDyXhat = new double[channels];
        BatchNormKernels.backward(pool, e.batch(), channels, e.plane(), xs.buffer(), dys.buffer(), gs, ms, is,
                dxs.buffer(), sumDy, sumDyXhat);
        for (int c = 0; c < channels; c++) {
            dgs[c] += (float) sumDyXhat[c];
            dbs[c] += (float) sumDy[c];
        }
        storage.tensor(dGamma, op, "dGamma").buffer().put(0, dgs, 0, channels);
        storage.tensor(dBeta, op, "dBeta").buffer().put(0, dbs, 0, channels);
    }

    private CpuTensor perChannelTensor(String op, String name, Tensor t, BatchNormExtents e) {
        CpuTensor a = storage.tensor(t, op, name);
        e.perChannel(op, name, t.shape());
        return a;
    }

    /** The contents of a [channels] parameter or statistics tensor, after checking its shape. */
    private float[] perChannel(String op, String name, Tensor t, BatchNormExtents e) {
        return perChannelTensor(op, name, t, e).floats();
    }
}
