package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.fitsAt;
import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.sameSize;
import static org.spidernet.backend.ShapeCheck.samplesOfPair;

import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.spidernet.backend.ElementwiseOps;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.GatedSumArgs;
import org.spidernet.backend.GatedSumOps;
import org.spidernet.backend.Tensor;

/**
 * The elementwise ops and reductions of the {@link CpuBackend}: copy and axpy run on ND4J (a
 * native assign, BLAS saxpy), the rest on {@link StreamKernels}. These ops may run in place.
 */
final class Elementwise implements ElementwiseOps, GatedSumOps {
    private final Storage storage;
    private final WorkerPool pool;

    Elementwise(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void fill(Tensor t, double value) {
        CpuTensor a = storage.tensor(t, "fill", "t");
        StreamKernels.fill(pool, a.buffer(), (float) value, a.intSize());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuTensor s = storage.tensor(src, "copy", "src");
        CpuTensor d = storage.tensor(dst, "copy", "dst");
        sameSize("copy", "src", src.shape(), "dst", dst.shape());
        if (s != d && d.intSize() > 0) {
            d.flat().assign(s.flat());
        }
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        CpuTensor s = storage.tensor(src, "copyInto", "src");
        CpuTensor d = storage.tensor(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        fitsAt("copyInto", src.shape(), offset, dst.shape());
        d.buffer().put((int) offset, s.buffer(), 0, s.intSize());
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        CpuTensor xs = storage.tensor(x, "axpy", "x");
        CpuTensor ys = storage.tensor(y, "axpy", "y");
        sameSize("axpy", "x", x.shape(), "y", y.shape());
        if (ys.intSize() > 0) {
            Nd4j.getBlasWrapper().level1().axpy(ys.intSize(), alpha, xs.flat(), ys.flat());
        }
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        CpuTensor as = storage.tensor(a, "dot", "a");
        CpuTensor bs = storage.tensor(b, "dot", "b");
        sameSize("dot", "a", a.shape(), "b", b.shape());
        return StreamKernels.dot(pool, as.buffer(), bs.buffer(), as.intSize());
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        CpuTensor as = storage.tensor(a, "dotPerSample", "a");
        CpuTensor bs = storage.tensor(b, "dotPerSample", "b");
        int samples = samplesOfPair("dotPerSample", "a", a.shape(), "b", b.shape());
        return perSampleDots(as, bs, samples);
    }

    /** Checks its own operands (so its errors name gateGradient), then the per-sample dots of dy and x. */
    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        String op = "gateGradient";
        CpuTensor gs = storage.tensor(gateGrads, op, "gateGrads");
        CpuTensor fs = storage.tensor(factors, op, "factors");
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor xs = storage.tensor(x, op, "x");
        int samples = samplesOfPair(op, "dy", dy.shape(), "x", x.shape());
        GateGradientArgs.check(op, dy, factors, gateGrads, gate);
        double[] dots = perSampleDots(dys, xs, samples);
        int row = gate * dots.length;
        double sum = 0;
        for (int n = 0; n < dots.length; n++) {
            double f = scale * fs.buffer().get(row + n);
            sum += f * dots[n];
        }
        gs.buffer().put(gate, (float) (gs.buffer().get(gate) + sum));
    }

    /** The float64 dot product of each of the {@code samples} equal slices of a and b (checked alike). */
    private double[] perSampleDots(CpuTensor a, CpuTensor b, int samples) {
        int perSample = samples == 0 ? 0 : a.intSize() / samples;
        return StreamKernels.dotPerSample(pool, a.buffer(), b.buffer(), samples, perSample);
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        CpuTensor xs = storage.tensor(x, "scaleAddPerSample", "x");
        CpuTensor ys = storage.tensor(y, "scaleAddPerSample", "y");
        CpuTensor fs = storage.tensor(factors, "scaleAddPerSample", "factors");
        sameShape("scaleAddPerSample", "x", x.shape(), "y", y.shape());
        GateGradientArgs.checkFactors("scaleAddPerSample", factors, row, y.shape());
        int samples = y.shape()[0];
        double[] perSample = new double[samples];
        for (int n = 0; n < samples; n++) {
            perSample[n] = scale * fs.buffer().get(row * samples + n);
        }
        int perSampleSize = samples == 0 ? 0 : ys.intSize() / samples;
        StreamKernels.scaleAddPerSample(pool, xs.buffer(), perSample, ys.buffer(), samples, perSampleSize);
    }

    /** One pass over y for all ops (see {@link StreamKernels#gatedSum}); the same bits as the per-op loop. */
    @Override
    public void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        String op = "gatedSum";
        int ops = GatedSumArgs.checkForward(op, xs, factors, rows, scales, y);
        CpuTensor ys = storage.tensor(y, op, "y");
        CpuTensor fs = storage.tensor(factors, op, "factors");
        FloatBuffer[] xb = new FloatBuffer[ops];
        for (int j = 0; j < ops; j++) {
            xb[j] = storage.tensor(xs.get(j), op, "xs[" + j + "]").buffer();
        }
        if (ops == 0) {
            return;
        }
        int samples = y.shape()[0];
        double[][] perSample = new double[ops][samples];
        for (int j = 0; j < ops; j++) {
            for (int n = 0; n < samples; n++) {
                perSample[j][n] = scales[j] * fs.buffer().get(rows[j] * samples + n);
            }
        }
        int perSampleSize = samples == 0 ? 0 : ys.intSize() / samples;
        StreamKernels.gatedSum(pool, xb, perSample, ys.buffer(), samples, perSampleSize);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        CpuTensor xs = storage.tensor(x, "relu", "x");
        CpuTensor ys = storage.tensor(y, "relu", "y");
        sameShape("relu", "x", x.shape(), "y", y.shape());
        StreamKernels.relu(pool, xs.buffer(), ys.buffer(), ys.intSize());
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        CpuTensor xs = storage.tensor(x, "reluBackward", "x");
        CpuTensor dys = storage.tensor(dy, "reluBackward", "dy");
        CpuTensor dxs = storage.tensor(dx, "reluBackward", "dx");
        sameShape("reluBackward", "x", x.shape(), "dy", dy.shape());
        sameShape("reluBackward", "x", x.shape(), "dx", dx.shape());
        StreamKernels.reluBackward(pool, xs.buffer(), dys.buffer(), dxs.buffer(), xs.intSize());
    }
}
