package org.spidernet.backend.reference;

import static org.spidernet.backend.reference.ShapeCheck.distinct;
import static org.spidernet.backend.reference.ShapeCheck.rank;
import static org.spidernet.backend.reference.ShapeCheck.require;
import static org.spidernet.backend.reference.ShapeCheck.sameShape;
import static org.spidernet.backend.reference.ShapeCheck.sameSize;
import static org.spidernet.backend.reference.ShapeCheck.shape;
import static org.spidernet.backend.reference.ShapeCheck.str;

import java.util.Arrays;
import java.util.Objects;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.TensorLedger;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.Tensor;

/**
 * The float64, plain-Java backend: the oracle every other backend is tested against. Each op
 * validates its arguments here and then runs a naive loop nest from one of the package's op
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
        require(data.length == d.length, "upload: data has length " + data.length + ", dst has shape " + str(dst));
        System.arraycopy(data, 0, d, 0, d.length);
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        Objects.requireNonNull(data, "data");
        double[] d = data(dst, "upload", "dst");
        require(data.length == d.length, "upload: data has length " + data.length + ", dst has shape " + str(dst));
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
        sameSize("copy", "src", src, "dst", dst);
        System.arraycopy(s, 0, d, 0, d.length);
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        double[] s = data(src, "copyInto", "src");
        double[] d = data(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        require(offset >= 0 && offset + s.length <= d.length, "copyInto: src " + str(src) + " at offset " + offset
                + " does not fit in dst " + str(dst));
        System.arraycopy(s, 0, d, (int) offset, s.length);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        double[] xs = data(x, "axpy", "x");
        double[] ys = data(y, "axpy", "y");
        sameSize("axpy", "x", x, "y", y);
        Elementwise.axpy(alpha, xs, ys);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        double[] as = data(a, "dot", "a");
        double[] bs = data(b, "dot", "b");
        sameSize("dot", "a", a, "b", b);
        return Elementwise.dot(as, bs);
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        double[] as = data(a, "dotPerSample", "a");
        double[] bs = data(b, "dotPerSample", "b");
        sameShape("dotPerSample", "a", a, "b", b);
        require(a.shape().length >= 1, "dotPerSample: a and b need a sample dimension, got shape " + str(a));
        return Elementwise.dotPerSample(a.shape()[0], as, bs);
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
        int n = pairShape(op, x, "k", k);
        distinct(op, "k", k, "x", x);
        SamplePairs.signAgreement(xs, n, ks);
    }

    @Override
    public double[] gram(Tensor a) {
        double[] as = data(a, "gram", "a");
        require(a.shape().length >= 1, "gram: a needs a sample dimension, got shape " + str(a));
        return SamplePairs.gram(as, a.shape()[0]);
    }

    /** Checks x [N, ...] against out [N, N]; returns N. */
    private static int pairShape(String op, Tensor x, String outName, Tensor out) {
        require(x.shape().length >= 1, op + ": x needs a sample dimension, got shape " + str(x));
        int n = x.shape()[0];
        require(Arrays.equals(out.shape(), new int[] {n, n}), op + ": " + outName + " has shape "
                + str(out) + ", expected [" + n + ", " + n + "] for x " + str(x));
        return n;
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        String op = "scaleAddPerSample";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        double[] fs = data(factors, op, "factors");
        sameShape(op, "x", x, "y", y);
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
        sameShape("relu", "x", x, "y", y);
        Elementwise.relu(xs, ys);
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        double[] xs = data(x, "reluBackward", "x");
        double[] dys = data(dy, "reluBackward", "dy");
        double[] dxs = data(dx, "reluBackward", "dx");
        sameShape("reluBackward", "x", x, "dy", dy);
        sameShape("reluBackward", "x", x, "dx", dx);
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
        Convolution.Dims d = convDims(op, "x", x, w, "y", y, g);
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
        Convolution.Dims d = convDims(op, "dx", dx, w, "dy", dy, g);
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
        Convolution.Dims d = convDims(op, "x", x, dw, "dy", dy, g);
        distinct(op, "dw", dw, "x", x);
        distinct(op, "dw", dw, "dy", dy);
        Convolution.backwardFilter(d, xs, dys, dws);
    }

    /**
     * Checks that an input-shaped tensor, a weight-shaped tensor and an output-shaped tensor
     * agree with each other and with the geometry, and returns the sizes.
     */
    private static Convolution.Dims convDims(String op, String inName, Tensor in, Tensor w, String outName, Tensor out,
                                             ConvGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        rank(op, "w", w, 4);
        rank(op, outName, out, 4);
        int[] xs = in.shape();
        int[] ws = w.shape();
        int batch = xs[0];
        int cin = xs[1];
        int cout = ws[0];
        String all = inName + " " + str(in) + ", w " + str(w) + ", " + outName + " " + str(out) + ", " + g;
        require(cin % g.groups() == 0 && cout % g.groups() == 0,
                op + ": channels not divisible by groups: " + all);
        int[] wantW = {cout, cin / g.groups(), g.kernel(), g.kernel()};
        require(Arrays.equals(ws, wantW), op + ": w has shape " + str(w) + ", expected " + Arrays.toString(wantW)
                + " (" + all + ")");
        // checked here rather than through outSize(), whose integer division rounds a negative
        // numerator towards zero and would report one output for an input smaller than the kernel
        int extent = g.dilation() * (g.kernel() - 1) + 1;
        require(xs[2] + 2 * g.padding() >= extent && xs[3] + 2 * g.padding() >= extent,
                op + ": input smaller than the dilated kernel: " + all);
        int outH = g.outSize(xs[2]);
        int outW = g.outSize(xs[3]);
        int[] wantOut = {batch, cout, outH, outW};
        require(Arrays.equals(out.shape(), wantOut), op + ": " + outName + " has shape " + str(out) + ", expected "
                + Arrays.toString(wantOut) + " (" + all + ")");
        return new Convolution.Dims(batch, cin, xs[2], xs[3], cout, outH, outW, g);
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        rank(op, "x", x, 4);
        sameShape(op, "x", x, "y", y);
        int[] s = x.shape();
        int channels = s[1];
        double[] gs = perChannel(op, "gamma", gamma, channels);
        double[] bs = perChannel(op, "beta", beta, channels);
        double[] ms = perChannel(op, "saveMean", saveMean, channels);
        double[] is = perChannel(op, "saveInvStd", saveInvStd, channels);
        double[] rm = perChannel(op, "runMean", runMean, channels);
        double[] rv = perChannel(op, "runVar", runVar, channels);
        // the unbiased running variance divides by N*H*W - 1
        require((long) s[0] * s[2] * s[3] >= 2, op + ": needs at least 2 values per channel, x has shape " + str(x));
        require(eps > 0, op + ": eps must be positive, got " + eps);
        require(momentum >= 0 && momentum <= 1, op + ": momentum must be in [0, 1], got " + momentum);
        for (Tensor out : new Tensor[] {y, saveMean, saveInvStd, runMean, runVar}) {
            distinct(op, "an output", out, "x", x);
            distinct(op, "an output", out, "gamma", gamma);
            distinct(op, "an output", out, "beta", beta);
        }
        BatchNorm.train(s[0], channels, s[2] * s[3], xs, gs, bs, ys, ms, is, rm, rv, momentum, eps);
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        String op = "batchNormEval";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        rank(op, "x", x, 4);
        sameShape(op, "x", x, "y", y);
        int[] s = x.shape();
        int channels = s[1];
        double[] gs = perChannel(op, "gamma", gamma, channels);
        double[] bs = perChannel(op, "beta", beta, channels);
        double[] rm = perChannel(op, "runMean", runMean, channels);
        double[] rv = perChannel(op, "runVar", runVar, channels);
        require(eps > 0, op + ": eps must be positive, got " + eps);
        distinct(op, "y", y, "x", x);
        BatchNorm.eval(s[0], channels, s[2] * s[3], xs, gs, bs, rm, rv, ys, eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        double[] xs = data(x, op, "x");
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        rank(op, "x", x, 4);
        sameShape(op, "x", x, "dy", dy);
        sameShape(op, "x", x, "dx", dx);
        int[] s = x.shape();
        int channels = s[1];
        double[] gs = perChannel(op, "gamma", gamma, channels);
        double[] ms = perChannel(op, "saveMean", saveMean, channels);
        double[] is = perChannel(op, "saveInvStd", saveInvStd, channels);
        double[] dgs = perChannel(op, "dGamma", dGamma, channels);
        double[] dbs = perChannel(op, "dBeta", dBeta, channels);
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dGamma", dGamma, "dBeta", dBeta);
        BatchNorm.backward(s[0], channels, s[2] * s[3], xs, dys, gs, ms, is, dxs, dgs, dbs);
    }

    /** The storage of a [channels] parameter or statistics tensor, after checking its shape. */
    private double[] perChannel(String op, String name, Tensor t, int channels) {
        double[] d = data(t, op, name);
        shape(op, name, t, channels);
        return d;
    }

    // ---------------------------------------------------------------- pooling and resampling

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        int[] s = poolShapes(op, "x", x, "y", y, g);
        distinct(op, "y", y, "x", x);
        Pooling.max(s[0] * s[1], s[2], s[3], y.shape()[2], y.shape()[3], g, xs, ys);
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        double[] xs = data(x, op, "x");
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        int[] s = poolShapes(op, "x", x, "dy", dy, g);
        sameShape(op, "x", x, "dx", dx);
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.maxBackward(s[0] * s[1], s[2], s[3], dy.shape()[2], dy.shape()[3], g, xs, dys, dxs);
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        int[] s = poolShapes(op, "x", x, "y", y, g);
        distinct(op, "y", y, "x", x);
        Pooling.avg(s[0] * s[1], s[2], s[3], y.shape()[2], y.shape()[3], g, xs, ys);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        int[] s = poolShapes(op, "dx", dx, "dy", dy, g);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.avgBackward(s[0] * s[1], s[2], s[3], dy.shape()[2], dy.shape()[3], g, dys, dxs);
    }

    /** Checks an input-shaped and an output-shaped tensor against the pooling geometry; returns the input shape. */
    private static int[] poolShapes(String op, String inName, Tensor in, String outName, Tensor out, PoolGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        int[] s = in.shape();
        int outH = g.outSize(s[2]);
        int outW = g.outSize(s[3]);
        require(s[2] + 2 * g.padding() >= g.kernel() && s[3] + 2 * g.padding() >= g.kernel(),
                op + ": " + inName + " " + str(in) + " is smaller than the window of " + g);
        int[] want = {s[0], s[1], outH, outW};
        require(Arrays.equals(out.shape(), want), op + ": " + outName + " has shape " + str(out) + ", expected "
                + Arrays.toString(want) + " for " + inName + " " + str(in) + " and " + g);
        return s;
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride) {
        String op = "subsample";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        int[] s = subsampleShapes(op, "x", x, "y", y, stride);
        distinct(op, "y", y, "x", x);
        Pooling.subsample(s[0] * s[1], s[2], s[3], y.shape()[2], y.shape()[3], stride, xs, ys);
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride) {
        String op = "subsampleBackward";
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        int[] s = subsampleShapes(op, "dx", dx, "dy", dy, stride);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.subsampleBackward(s[0] * s[1], s[2], s[3], dy.shape()[2], dy.shape()[3], stride, dys, dxs);
    }

    private static int[] subsampleShapes(String op, String inName, Tensor in, String outName, Tensor out, int stride) {
        require(stride >= 1, op + ": stride must be at least 1, got " + stride);
        rank(op, inName, in, 4);
        int[] s = in.shape();
        int[] want = {s[0], s[1], Pooling.subsampledSize(s[2], stride), Pooling.subsampledSize(s[3], stride)};
        require(Arrays.equals(out.shape(), want), op + ": " + outName + " has shape " + str(out) + ", expected "
                + Arrays.toString(want) + " for " + inName + " " + str(in) + " and stride " + stride);
        return s;
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        double[] xs = data(x, op, "x");
        double[] ys = data(y, op, "y");
        int[] s = globalPoolShapes(op, "x", x, "y", y);
        Pooling.globalAvg(s[0] * s[1], s[2] * s[3], xs, ys);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        double[] dys = data(dy, op, "dy");
        double[] dxs = data(dx, op, "dx");
        int[] s = globalPoolShapes(op, "dx", dx, "dy", dy);
        Pooling.globalAvgBackward(s[0] * s[1], s[2] * s[3], dys, dxs);
    }

    private static int[] globalPoolShapes(String op, String inName, Tensor in, String outName, Tensor out) {
        rank(op, inName, in, 4);
        int[] s = in.shape();
        require(s[2] * s[3] >= 1, op + ": " + inName + " " + str(in) + " has an empty plane");
        shape(op, outName, out, s[0], s[1]);
        return s;
    }

    // ---------------------------------------------------------------- dense head and loss

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "linear";
        double[] xs = data(x, op, "x");
        double[] ws = data(w, op, "w");
        double[] bs = data(b, op, "b");
        double[] ys = data(y, op, "y");
        int[] d = linearShapes(op, x, w, b, "y", y);
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        distinct(op, "y", y, "b", b);
        Linear.forward(d[0], d[1], d[2], xs, ws, bs, ys);
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
        int[] d = linearShapes(op, x, w, db, "dy", dy);
        shape(op, "dw", dw, w.shape());
        if (dx != null) {
            shape(op, "dx", dx, x.shape());
            for (Tensor in : new Tensor[] {x, w, dy}) {
                distinct(op, "dx", dx, "an input", in);
            }
        }
        for (Tensor in : new Tensor[] {x, w, dy}) {
            distinct(op, "dw", dw, "an input", in);
            distinct(op, "db", db, "an input", in);
        }
        Linear.backward(d[0], d[1], d[2], xs, ws, dys, dxs, dws, dbs);
    }

    /** Checks x [N,K], w [M,K], a bias-shaped [M] tensor and an output-shaped [N,M] tensor; returns {N, K, M}. */
    private static int[] linearShapes(String op, Tensor x, Tensor w, Tensor b, String outName, Tensor out) {
        rank(op, "x", x, 2);
        rank(op, "w", w, 2);
        int batch = x.shape()[0];
        int in = x.shape()[1];
        int outFeatures = w.shape()[0];
        String all = "x " + str(x) + ", w " + str(w) + ", b " + str(b) + ", " + outName + " " + str(out);
        require(w.shape()[1] == in, op + ": w " + str(w) + " does not match x " + str(x) + " (" + all + ")");
        require(Arrays.equals(b.shape(), new int[] {outFeatures}), op + ": bias has shape " + str(b) + ", expected ["
                + outFeatures + "] (" + all + ")");
        require(Arrays.equals(out.shape(), new int[] {batch, outFeatures}), op + ": " + outName + " has shape "
                + str(out) + ", expected [" + batch + ", " + outFeatures + "] (" + all + ")");
        return new int[] {batch, in, outFeatures};
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        double[] ls = data(logits, op, "logits");
        double[] ds = data(dLogits, op, "dLogits");
        double[] lbl = data(labels, op, "labels");
        double[] out = data(loss, op, "loss");
        rank(op, "logits", logits, 2);
        sameShape(op, "logits", logits, "dLogits", dLogits);
        distinct(op, "dLogits", dLogits, "logits", logits);
        require(loss.size() == 1, op + ": loss has shape " + str(loss) + ", expected [1]");
        for (Tensor in : new Tensor[] {logits, labels, dLogits}) {
            distinct(op, "loss", loss, "an input", in);
        }
        int batch = logits.shape()[0];
        int classes = logits.shape()[1];
        require(batch >= 1 && classes >= 1, op + ": logits " + str(logits) + " is empty");
        int[] ids = ClassLabels.read(op, lbl, labels.shape(), batch, classes, logits.shape());
        out[0] += scale * SoftmaxCrossEntropy.forwardBackward(batch, classes, ls, ids, ds, scale);
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        double[] ps = data(param, op, "param");
        double[] gs = data(grad, op, "grad");
        double[] vs = data(velocity, op, "velocity");
        sameSize(op, "param", param, "grad", grad);
        sameSize(op, "param", param, "velocity", velocity);
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
        Objects.requireNonNull(t, () -> op + ": " + name + " is null");
        ensureOpen();
        if (!(t instanceof ReferenceTensor rt) || rt.owner() != this) {
            throw new IllegalArgumentException(op + ": " + name + " " + str(t)
                    + " belongs to another backend, not this reference backend");
        }
        if (rt.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " " + str(t) + " is closed");
        }
        return rt.data();
    }
}
