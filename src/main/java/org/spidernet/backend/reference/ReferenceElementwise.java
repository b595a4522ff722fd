package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.fitsAt;
import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.sameSize;
import static org.spidernet.backend.ShapeCheck.samplesOfPair;

import java.util.Arrays;
import org.spidernet.backend.ElementwiseOps;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.GatedSumOps;
import org.spidernet.backend.Tensor;

/**
 * The elementwise ops and reductions of the {@link ReferenceBackend}, on the float64 loops of
 * {@link Elementwise}. These ops may run in place.
 */
final class ReferenceElementwise implements ElementwiseOps, GatedSumOps {
    private final Storage storage;

    ReferenceElementwise(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void fill(Tensor t, double value) {
        Arrays.fill(storage.data(t, "fill", "t"), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        double[] s = storage.data(src, "copy", "src");
        double[] d = storage.data(dst, "copy", "dst");
        sameSize("copy", "src", src.shape(), "dst", dst.shape());
        System.arraycopy(s, 0, d, 0, d.length);
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        double[] s = storage.data(src, "copyInto", "src");
        double[] d = storage.data(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        fitsAt("copyInto", src.shape(), offset, dst.shape());
        System.arraycopy(s, 0, d, (int) offset, s.length);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        double[] xs = storage.data(x, "axpy", "x");
        double[] ys = storage.data(y, "axpy", "y");
        sameSize("axpy", "x", x.shape(), "y", y.shape());
        Elementwise.axpy(alpha, xs, ys);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        double[] as = storage.data(a, "dot", "a");
        double[] bs = storage.data(b, "dot", "b");
        sameSize("dot", "a", a.shape(), "b", b.shape());
        return Elementwise.dot(as, bs);
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        double[] as = storage.data(a, "dotPerSample", "a");
        double[] bs = storage.data(b, "dotPerSample", "b");
        int samples = samplesOfPair("dotPerSample", "a", a.shape(), "b", b.shape());
        return Elementwise.dotPerSample(samples, as, bs);
    }

    /** Checks its own operands (so its errors name gateGradient), then the per-sample dots of dy and x. */
    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        String op = "gateGradient";
        double[] g = storage.data(gateGrads, op, "gateGrads");
        double[] fs = storage.data(factors, op, "factors");
        double[] dys = storage.data(dy, op, "dy");
        double[] xs = storage.data(x, op, "x");
        int samples = samplesOfPair(op, "dy", dy.shape(), "x", x.shape());
        GateGradientArgs.check(op, dy, factors, gateGrads, gate);
        double[] dots = Elementwise.dotPerSample(samples, dys, xs);
        int row = gate * dots.length;
        double sum = 0;
        for (int n = 0; n < dots.length; n++) {
            double f = scale * fs[row + n];
            sum += f * dots[n];
        }
        g[gate] += sum;
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        String op = "scaleAddPerSample";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        double[] fs = storage.data(factors, op, "factors");
        sameShape(op, "x", x.shape(), "y", y.shape());
        GateGradientArgs.checkFactors(op, factors, row, y.shape());
        int samples = y.shape()[0];
        double[] perSample = new double[samples];
        for (int n = 0; n < samples; n++) {
            perSample[n] = scale * fs[row * samples + n];
        }
        Elementwise.scaleAddPerSample(xs, perSample, ys);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        double[] xs = storage.data(x, "relu", "x");
        double[] ys = storage.data(y, "relu", "y");
        sameShape("relu", "x", x.shape(), "y", y.shape());
        Elementwise.relu(xs, ys);
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        double[] xs = storage.data(x, "reluBackward", "x");
        double[] dys = storage.data(dy, "reluBackward", "dy");
        double[] dxs = storage.data(dx, "reluBackward", "dx");
        sameShape("reluBackward", "x", x.shape(), "dy", dy.shape());
        sameShape("reluBackward", "x", x.shape(), "dx", dx.shape());
        Elementwise.reluBackward(xs, dys, dxs);
    }
}
