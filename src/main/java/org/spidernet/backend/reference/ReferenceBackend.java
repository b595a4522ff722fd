package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.fitsAt;
import static org.spidernet.backend.ShapeCheck.hostLength;
import static org.spidernet.backend.ShapeCheck.pairs;
import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.sameSize;
import static org.spidernet.backend.ShapeCheck.samples;

import java.util.Arrays;
import java.util.Objects;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BatchNormExtents;
import org.spidernet.backend.ConvExtents;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.LinearShapes;
import org.spidernet.backend.LossShapes;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.ShapeCheck;
import org.spidernet.backend.TensorLedger;
import org.spidernet.backend.PoolExtents;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.Tensor;

/**
 * The float64, plain-Java backend: the oracle every other backend is tested against. Each op
 * validates its arguments with the rules every backend shares ({@link org.spidernet.backend.ShapeCheck},
 * {@link ConvExtents}, {@link PoolExtents}, ...) and then runs a naive loop nest from one of the package's op
 * classes ({@link Convolution}, {@link BatchNorm}, {@link Pooling}, {@link Linear},
 * {@link SoftmaxCrossEntropy}, {@link SgdMomentum}, {@link Elementwise}). Clarity beats speed.
 *
 * <p>Beyond the {@link Backend} contract this backend is strict on purpose, so that engine bugs
 * surface here first: a tensor from another backend is an {@link IllegalArgumentException}; a
 * closed tensor (or any use after {@link #close()}) is an {@link IllegalStateException}; and
 * apart from the elementwise ops (fill, copy, axpy, scaleAddPerSample, relu, reluBackward,
 * sgdMomentum) an output tensor must not be the same tensor as one of the op's inputs.
 *
 * <p>Not thread-safe: one backend instance belongs to one thread at a time.
 */
public final class ReferenceBackend implements Backend {
    private static final int BYTES_PER_ELEMENT = Double.BYTES;

    /** Live tensors, for accounting and so {@link #close()} can invalidate them. */
    private final TensorLedger<ReferenceTensor> ledger;
    private boolean closed;

    /** A backend limited only by the Java heap. */
    public ReferenceBackend() {
        this(TensorLedger.UNLIMITED);
    }

    /**
     * A backend emulating a device of {@code capacityBytes}: an allocation that would take its
     * tensors past it throws {@link org.spidernet.backend.DeviceOutOfMemoryException}.
     */
    public ReferenceBackend(long capacityBytes) {
        this.ledger = new TensorLedger<>("reference", BYTES_PER_ELEMENT, capacityBytes);
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int bytesPerElement() {
        return BYTES_PER_ELEMENT;
    }

    // ---------------------------------------------------------------- storage

    @Override
    public Tensor allocate(int... shape) {
        Objects.requireNonNull(shape, "shape");
        ensureOpen();
        long size = Tensor.elementCount(shape);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("allocate: shape " + Arrays.toString(shape) + " has " + size
                    + " elements, more than a Java array holds");
        }
        ledger.admit(size);
        ReferenceTensor t = new ReferenceTensor(this, shape, (int) size);
        ledger.allocated(t);
        return t;
    }

    /** Called by {@link ReferenceTensor#close()} exactly once per tensor. */
    void released(ReferenceTensor t) {
        ledger.released(t);
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        Objects.requireNonNull(data, "data");
        double[] d = data(dst, "upload", "dst");
        hostLength("upload", data.length, "dst", dst.shape());
        System.arraycopy(data, 0, d, 0, d.length);
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        Objects.requireNonNull(data, "data");
        double[] d = data(dst, "upload", "dst");
        hostLength("upload", data.length, "dst", dst.shape());
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
    }

    @Override
    public double[] download(Tensor src) {
        return data(src, "download", "src").clone();
    }

    @Override
    public MemoryStats memory() {
        return ledger.stats();
    }

    @Override
    public void resetPeak() {
        ledger.resetPeak();
    }

    /** Invalidates every live tensor and releases its bytes; later use of the backend throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (ReferenceTensor t : ledger.drain()) {
            t.invalidate();
        }
        closed = true;
    }

    // ---------------------------------------------------------------- elementwise and reductions

    @Override
    public void fill(Tensor t, double value) {
        Arrays.fill(data(t, "fill", "t"), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        double[] s = data(src, "copy", "src");
        double[] d = data(dst, "copy", "dst");
        sameSize("copy", "src", src.shape(), "dst", dst.shape());
        System.arraycopy(s, 0, d, 0, d.length);
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        double[] s = data(src, "copyInto", "src");
        double[] d = data(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        fitsAt("copyInto", src.shape(), offset, dst.shape());
        System.arraycopy(s, 0, d, (int) offset, s.length);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        double[] xs = data(x, "axpy", "x");
        double[] ys = data(y, "axpy", "y");
        sameSize("axpy", "x", x.shape(), "y", y.shape());
        Elementwise.axpy(alpha, xs, ys);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        double[] as = data(a, "dot", "a");
        double[] bs = data(b, "dot", "b");
        sameSize("dot", "a", a.shape(), "b", b.shape());
        return Elementwise.dot(as, bs);
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        double[] as = data(a, "dotPerSample", "a");
        double[] bs = data(b, "dotPerSample", "b");
        sameShape("dotPerSample", "a", a.shape(), "b", b.shape());
        return Elementwise.dotPerSample(samples("dotPerSample", "a", a.shape()), as, bs);
    }

    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        String op = "gateGradient";
        double[] g = data(gateGrads, op, "gateGrads");
        double[] fs = data(factors, op, "factors");
        double[] dots = dotPerSample(dy, x);
        GateGradientArgs.check(op, dy, factors, gateGrads, gate);
        int row = gate * dots.length;
        double sum = 0;
        for (int n = 0; n < dots.length; n++) {
            double f = scale * fs[row + n];
            sum += f * dots[n];
        }
        g[gate] += sum;
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        String op = "signAgreement";
        double[] xs = data(x, op, "x");
        double[] ks = data(k, op, "k");
        int n = pairs(op, "x", x.shape(), "k", k.shape());
        distinct(op, "k", k, "x", x);
        SamplePairs.signAgreement(xs, n, ks);
    }

    @Override
    public double[] gram(Tensor a) {
        double[] as = data(a, "gram", "a");
        return SamplePairs.gram(as, pairs("gram", "a", a.shape(), null, null));
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        String op = "scaleAddPerSample";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        double[] fs = data(factors, op, "factors");
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
        double[] xs = data(x, "relu", "x");
        double[] ys = data(y, "relu", "y");
        sameShape("relu", "x", x.shape(), "y", y.shape());
        Elementwise.relu(xs, ys);
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        double[] xs = data(x, "reluBackward", "x");
        double[] dys = data(dy, "reluBackward", "dy");
        double[] dxs = data(dx, "reluBackward", "dx");
        sameShape("reluBackward", "x", x.shape(), "dy", dy.shape());
        sameShape("reluBackward", "x", x.shape(), "dx", dx.shape());
        Elementwise.reluBackward(xs, dys, dxs);
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        Objects.requireNonNull(raw, "augment: raw is null");
        Objects.requireNonNull(plan, "augment: plan is null");
        double[] os = data(out, "augment", "out");
        plan.check("augment", raw, out.shape());
        int[] s = out.shape();
        Augment.apply(raw, os, s[0], s[1], s[2], s[3], plan);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        String op = "conv2d";
        double[] xs = data(x, op, "x");
        double[] ws = data(w, op, "w");
        double[] ys = data(y, op, "y");
        ConvExtents d = ConvExtents.of(op, "x", x.shape(), w.shape(), "y", y.shape(), g);
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        Convolution.forward(d, xs, ws, ys);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        double[] dys = data(dy, op, "dy");
        double[] ws = data(w, op, "w");
        double[] dxs = data(dx, op, "dx");
        ConvExtents d = ConvExtents.of(op, "dx", dx.shape(), w.shape(), "dy", dy.shape(), g);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dx", dx, "w", w);
        Convolution.backwardData(d, dys, ws, dxs);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        double[] xs = data(x, op, "x");
        double[] dys = data(dy, op, "dy");
        double[] dws = data(dw, op, "dw");
        ConvExtents d = ConvExtents.of(op, "x", x.shape(), dw.shape(), "dy", dy.shape(), g);
        distinct(op, "dw", dw, "x", x);
        distinct(op, "dw", dw, "dy", dy);
        Convolution.backwardFilter(d, xs, dys, dws);
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
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
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
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
        double[] xs = data(x, op, "x");
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
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
        double[] d = data(t, op, name);
        e.perChannel(op, name, t.shape());
        return d;
    }

    // ---------------------------------------------------------------- pooling and resampling

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        PoolExtents e = PoolExtents.of(op, "x", x.shape(), "y", y.shape(), g);
        distinct(op, "y", y, "x", x);
        Pooling.max(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs, ys);
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        double[] xs = data(x, op, "x");
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        PoolExtents e = PoolExtents.of(op, "x", x.shape(), "dy", dy.shape(), g);
        sameShape(op, "x", x.shape(), "dx", dx.shape());
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.maxBackward(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs, dys, dxs);
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        PoolExtents e = PoolExtents.of(op, "x", x.shape(), "y", y.shape(), g);
        distinct(op, "y", y, "x", x);
        Pooling.avg(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs, ys);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        PoolExtents e = PoolExtents.of(op, "dx", dx.shape(), "dy", dy.shape(), g);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.avgBackward(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, dys, dxs);
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride) {
        String op = "subsample";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        PoolExtents e = PoolExtents.subsample(op, "x", x.shape(), "y", y.shape(), stride);
        distinct(op, "y", y, "x", x);
        Pooling.subsample(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), stride, xs, ys);
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride) {
        String op = "subsampleBackward";
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        PoolExtents e = PoolExtents.subsample(op, "dx", dx.shape(), "dy", dy.shape(), stride);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.subsampleBackward(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), stride, dys, dxs);
    }


    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        PoolExtents e = PoolExtents.global(op, "x", x.shape(), "y", y.shape());
        Pooling.globalAvg(e.planes(), e.inPlane(), xs, ys);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        PoolExtents e = PoolExtents.global(op, "dx", dx.shape(), "dy", dy.shape());
        Pooling.globalAvgBackward(e.planes(), e.inPlane(), dys, dxs);
    }


    // ---------------------------------------------------------------- dense head and loss

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "linear";
        double[] xs = data(x, op, "x");
        double[] ws = data(w, op, "w");
        double[] bs = data(b, op, "b");
        double[] ys = data(y, op, "y");
        LinearShapes d = LinearShapes.of(op, x.shape(), w.shape(), b.shape(), "y", y.shape());
        LinearShapes.forwardAliasing(op, x, w, b, y);
        Linear.forward(d.batch(), d.inFeatures(), d.outFeatures(), xs, ws, bs, ys);
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        double[] xs = data(x, op, "x");
        double[] ws = data(w, op, "w");
        double[] dys = data(dy, op, "dy");
        double[] dxs = dx == null ? null : data(dx, op, "dx");
        double[] dws = data(dw, op, "dw");
        double[] dbs = data(db, op, "db");
        LinearShapes d = LinearShapes.backward(op, x.shape(), w.shape(), db.shape(), dy.shape(), dw.shape(),
                dx == null ? null : dx.shape());
        LinearShapes.backwardAliasing(op, x, w, dy, dx, dw, db);
        Linear.backward(d.batch(), d.inFeatures(), d.outFeatures(), xs, ws, dys, dxs, dws, dbs);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        double[] ls = data(logits, op, "logits");
        double[] ds = data(dLogits, op, "dLogits");
        double[] lbl = data(labels, op, "labels");
        double[] out = data(loss, op, "loss");
        LossShapes d = LossShapes.of(op, logits.shape(), dLogits.shape(), loss.shape());
        LossShapes.aliasing(op, logits, labels, dLogits, loss);
        int[] ids = ClassLabels.read(op, lbl, labels.shape(), d.batch(), d.classes(), logits.shape());
        out[0] += scale * SoftmaxCrossEntropy.forwardBackward(d.batch(), d.classes(), ls, ids, ds, scale);
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        double[] ps = data(param, op, "param");
        double[] gs = data(grad, op, "grad");
        double[] vs = data(velocity, op, "velocity");
        sameSize(op, "param", param.shape(), "grad", grad.shape());
        sameSize(op, "param", param.shape(), "velocity", velocity.shape());
        SgdMomentum.step(ps, gs, vs, lr, momentum, weightDecay);
    }

    // ---------------------------------------------------------------- helpers

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("reference backend is closed");
        }
    }

    /**
     * The storage of {@code t} after checking that it belongs to this backend and is open.
     * A foreign tensor is a caller error about the argument (IllegalArgumentException); a closed
     * one is a lifetime error (IllegalStateException).
     */
    private double[] data(Tensor t, String op, String name) {
        ShapeCheck.notNull(op, name, t);
        ensureOpen();
        ShapeCheck.member(op, name, t, t instanceof ReferenceTensor r && r.owner() == this, "reference backend");
        ReferenceTensor rt = (ReferenceTensor) t;
        ShapeCheck.open(op, name, t, rt.isClosed());
        return rt.data();
    }
}
