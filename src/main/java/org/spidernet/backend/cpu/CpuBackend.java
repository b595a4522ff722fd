package org.spidernet.backend.cpu;

import static org.spidernet.backend.cpu.Checks.distinct;
import static org.spidernet.backend.cpu.Checks.rank;
import static org.spidernet.backend.cpu.Checks.require;
import static org.spidernet.backend.cpu.Checks.sameShape;
import static org.spidernet.backend.cpu.Checks.sameSize;
import static org.spidernet.backend.cpu.Checks.shape;
import static org.spidernet.backend.cpu.Checks.str;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.factory.Nd4j;
import org.spidernet.backend.Availability;
import org.spidernet.backend.GatedSumArgs;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendUnavailableException;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.TensorLedger;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.Tensor;

/**
 * The fast CPU backend: float32 tensors in ND4J native memory.
 *
 * <p>Which engine runs each op was decided by measurement on the network this backend trains
 * (batch 64, 8-32 channels, 28x28, many depthwise convolutions) on two cores:
 * <ul>
 *   <li>ND4J runs copy (a native assign over the tensor as one vector), axpy (BLAS saxpy) and the
 *       dense head's matrix products (BLAS gemm, accumulating with beta = 1 where the contract
 *       accumulates).</li>
 *   <li>Java kernels on this backend's worker threads run everything else: convolution
 *       ({@link DirectConvolution}), pooling ({@link Pooling}), batch normalisation
 *       ({@link BatchNormKernels}) and the elementwise and reduction loops
 *       ({@link StreamKernels}), reading and writing the same native memory through direct
 *       buffers. libnd4j's depthwise and backward convolutions were one to two orders of
 *       magnitude slower at these sizes; each class says why for its ops.</li>
 * </ul>
 *
 * <p>Strict like the reference backend: a tensor from another backend is an
 * {@link IllegalArgumentException}, a closed tensor (or any use after {@link #close()}) an
 * {@link IllegalStateException}, and outside the elementwise ops (fill, copy, axpy,
 * scaleAddPerSample, relu, reluBackward, sgdMomentum) an output must not be one of the inputs.
 *
 * <p>Not thread-safe: one backend instance belongs to one thread at a time (it runs its own
 * worker threads inside each op).
 */
public final class CpuBackend implements Backend {
    private static final int BYTES_PER_ELEMENT = Float.BYTES;
    /** Elements converted per step between float64 host arrays and float32 tensors. */
    private static final int HOST_CHUNK = 4096;

    private final WorkerPool pool;
    private final TensorLedger<CpuTensor> ledger;
    private boolean closed;

    /** Opens a backend with one worker per available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Opens a backend with {@code workers} threads for its Java kernels (the caller's thread included). */
    public CpuBackend(int workers) {
        this(workers, TensorLedger.UNLIMITED);
    }

    /**
     * Opens a backend with {@code workers} threads emulating a device of {@code capacityBytes}: an
     * allocation that would take its tensors past it throws
     * {@link org.spidernet.backend.DeviceOutOfMemoryException}.
     */
    public CpuBackend(int workers, long capacityBytes) {
        this.ledger = new TensorLedger<>("cpu", BYTES_PER_ELEMENT, capacityBytes);
        Availability a = Nd4jRuntime.availability();
        if (!a.usable()) {
            throw new BackendUnavailableException("cpu backend unavailable: " + a.detail());
        }
        this.pool = new WorkerPool(workers);
    }

    @Override
    public String name() {
        return "cpu";
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
        // direct buffers are int-indexed
        require(size <= Integer.MAX_VALUE, "allocate: shape " + Arrays.toString(shape) + " has " + size
                + " elements, more than one buffer addresses");
        ledger.admit(size);
        CpuTensor t = new CpuTensor(this, shape, (int) size);
        ledger.allocated(t);
        return t;
    }

    /** Called by {@link CpuTensor#close()} once per tensor. */
    void released(CpuTensor t) {
        ledger.released(t);
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        Objects.requireNonNull(data, "data");
        CpuTensor d = tensor(dst, "upload", "dst");
        require(data.length == d.size(), "upload: data has length " + data.length + ", dst has shape " + str(dst));
        float[] chunk = pool.scratch(0).floats(Scratch.HOST, HOST_CHUNK);
        for (int at = 0; at < data.length; at += HOST_CHUNK) {
            int len = Math.min(HOST_CHUNK, data.length - at);
            for (int i = 0; i < len; i++) {
                chunk[i] = (float) data[at + i];
            }
            d.buffer().put(at, chunk, 0, len);
        }
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        Objects.requireNonNull(data, "data");
        CpuTensor d = tensor(dst, "upload", "dst");
        require(data.length == d.size(), "upload: data has length " + data.length + ", dst has shape " + str(dst));
        d.buffer().put(0, data, 0, data.length);
    }

    @Override
    public double[] download(Tensor src) {
        CpuTensor s = tensor(src, "download", "src");
        double[] out = new double[s.intSize()];
        float[] chunk = pool.scratch(0).floats(Scratch.HOST, HOST_CHUNK);
        for (int at = 0; at < out.length; at += HOST_CHUNK) {
            int len = Math.min(HOST_CHUNK, out.length - at);
            s.buffer().get(at, chunk, 0, len);
            for (int i = 0; i < len; i++) {
                out[at + i] = chunk[i];
            }
        }
        return out;
    }

    @Override
    public MemoryStats memory() {
        return ledger.stats();
    }

    @Override
    public void resetPeak() {
        ledger.resetPeak();
    }

    /** Frees every live tensor and stops the worker threads; later use of the backend throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (CpuTensor t : ledger.drain()) {
            t.invalidate();
        }
        pool.close();
        closed = true;
    }

    // ---------------------------------------------------------------- elementwise and reductions

    @Override
    public void fill(Tensor t, double value) {
        CpuTensor a = tensor(t, "fill", "t");
        StreamKernels.fill(pool, a.buffer(), (float) value, a.intSize());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuTensor s = tensor(src, "copy", "src");
        CpuTensor d = tensor(dst, "copy", "dst");
        sameSize("copy", "src", src, "dst", dst);
        if (s != d && d.intSize() > 0) {
            d.flat().assign(s.flat());
        }
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        CpuTensor s = tensor(src, "copyInto", "src");
        CpuTensor d = tensor(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        require(offset >= 0 && offset + s.intSize() <= d.intSize(), "copyInto: src " + str(src) + " at offset "
                + offset + " does not fit in dst " + str(dst));
        d.buffer().put((int) offset, s.buffer(), 0, s.intSize());
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        CpuTensor xs = tensor(x, "axpy", "x");
        CpuTensor ys = tensor(y, "axpy", "y");
        sameSize("axpy", "x", x, "y", y);
        if (ys.intSize() > 0) {
            Nd4j.getBlasWrapper().level1().axpy(ys.intSize(), alpha, xs.flat(), ys.flat());
        }
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        CpuTensor as = tensor(a, "dot", "a");
        CpuTensor bs = tensor(b, "dot", "b");
        sameSize("dot", "a", a, "b", b);
        return StreamKernels.dot(pool, as.buffer(), bs.buffer(), as.intSize());
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        CpuTensor as = tensor(a, "dotPerSample", "a");
        CpuTensor bs = tensor(b, "dotPerSample", "b");
        sameShape("dotPerSample", "a", a, "b", b);
        require(a.shape().length >= 1, "dotPerSample: a and b need a sample dimension, got shape " + str(a));
        int samples = a.shape()[0];
        int perSample = samples == 0 ? 0 : as.intSize() / samples;
        return StreamKernels.dotPerSample(pool, as.buffer(), bs.buffer(), samples, perSample);
    }

    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        String op = "gateGradient";
        CpuTensor gs = tensor(gateGrads, op, "gateGrads");
        CpuTensor fs = tensor(factors, op, "factors");
        double[] dots = dotPerSample(dy, x);
        GateGradientArgs.check(op, dy, factors, gateGrads, gate);
        int row = gate * dots.length;
        double sum = 0;
        for (int n = 0; n < dots.length; n++) {
            double f = scale * fs.buffer().get(row + n);
            sum += f * dots[n];
        }
        gs.buffer().put(gate, (float) (gs.buffer().get(gate) + sum));
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        String op = "signAgreement";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ks = tensor(k, op, "k");
        int n = pairShape(op, x, "k", k);
        distinct(op, "k", k, "x", x);
        int d = n == 0 ? 0 : xs.intSize() / n;
        require((long) n * ((d + 63) / 64) <= Integer.MAX_VALUE, op + ": x " + str(x)
                + " has too many sign bits to pack in one array");
        SamplePairKernels.signAgreement(pool, xs.buffer(), n, d, ks.buffer());
    }

    @Override
    public double[] gram(Tensor a) {
        CpuTensor as = tensor(a, "gram", "a");
        require(a.shape().length >= 1, "gram: a needs a sample dimension, got shape " + str(a));
        int n = a.shape()[0];
        require((long) n * n <= Integer.MAX_VALUE - 8, "gram: a " + str(a) + " has too many samples for an N x N array");
        return SamplePairKernels.gram(pool, as.buffer(), n, n == 0 ? 0 : as.intSize() / n);
    }

    /** Checks x [N, ...] against out [N, N]; returns N. */
    private static int pairShape(String op, Tensor x, String outName, Tensor out) {
        require(x.shape().length >= 1, op + ": x needs a sample dimension, got shape " + str(x));
        int n = x.shape()[0];
        require(Arrays.equals(out.shape(), new int[] {n, n}), op + ": " + outName + " has shape " + str(out)
                + ", expected [" + n + ", " + n + "] for x " + str(x));
        return n;
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        CpuTensor xs = tensor(x, "scaleAddPerSample", "x");
        CpuTensor ys = tensor(y, "scaleAddPerSample", "y");
        CpuTensor fs = tensor(factors, "scaleAddPerSample", "factors");
        sameShape("scaleAddPerSample", "x", x, "y", y);
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
    public void gatedSum(java.util.List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        String op = "gatedSum";
        int ops = GatedSumArgs.checkForward(op, xs, factors, rows, scales, y);
        CpuTensor ys = tensor(y, op, "y");
        CpuTensor fs = tensor(factors, op, "factors");
        FloatBuffer[] xb = new FloatBuffer[ops];
        for (int j = 0; j < ops; j++) {
            xb[j] = tensor(xs.get(j), op, "xs[" + j + "]").buffer();
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
        CpuTensor xs = tensor(x, "relu", "x");
        CpuTensor ys = tensor(y, "relu", "y");
        sameShape("relu", "x", x, "y", y);
        StreamKernels.relu(pool, xs.buffer(), ys.buffer(), ys.intSize());
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        CpuTensor xs = tensor(x, "reluBackward", "x");
        CpuTensor dys = tensor(dy, "reluBackward", "dy");
        CpuTensor dxs = tensor(dx, "reluBackward", "dx");
        sameShape("reluBackward", "x", x, "dy", dy);
        sameShape("reluBackward", "x", x, "dx", dx);
        StreamKernels.reluBackward(pool, xs.buffer(), dys.buffer(), dxs.buffer(), xs.intSize());
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        Objects.requireNonNull(raw, "augment: raw is null");
        Objects.requireNonNull(plan, "augment: plan is null");
        CpuTensor os = tensor(out, "augment", "out");
        plan.check("augment", raw, out.shape());
        int[] s = out.shape();
        AugmentKernel.apply(pool, raw, os.buffer(), s[0], s[1], s[2], s[3], plan);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        String op = "conv2d";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ws = tensor(w, op, "w");
        CpuTensor ys = tensor(y, op, "y");
        ConvDims d = convDims(op, "x", x, w, "y", y, g);
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        if (ys.intSize() > 0) {
            DirectConvolution.forward(pool, d, xs.buffer(), weights(ws), ys.buffer());
        }
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor ws = tensor(w, op, "w");
        CpuTensor dxs = tensor(dx, op, "dx");
        ConvDims d = convDims(op, "dx", dx, w, "dy", dy, g);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dx", dx, "w", w);
        if (dys.intSize() > 0 && dxs.intSize() > 0) {
            float[] flipped = pool.scratch(0).floats(Scratch.WEIGHTS_T, ws.intSize());
            DirectConvolution.backwardData(pool, d, dys.buffer(), weights(ws), flipped, dxs.buffer());
        }
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dws = tensor(dw, op, "dw");
        ConvDims d = convDims(op, "x", x, dw, "dy", dy, g);
        distinct(op, "dw", dw, "x", x);
        distinct(op, "dw", dw, "dy", dy);
        if (dys.intSize() > 0 && dws.intSize() > 0) {
            DirectConvolution.backwardFilter(pool, d, xs.buffer(), dys.buffer(), dws.buffer());
        }
    }

    /** The weights as a Java array, in the calling worker's weight slot (read-only inside the loop). */
    private float[] weights(CpuTensor w) {
        float[] a = pool.scratch(0).floats(Scratch.WEIGHTS, w.intSize());
        w.buffer().get(0, a, 0, w.intSize());
        return a;
    }

    /**
     * Checks that an input-shaped tensor, a weight-shaped tensor and an output-shaped tensor
     * agree with each other and with the geometry, and returns the sizes.
     */
    private static ConvDims convDims(String op, String inName, Tensor in, Tensor w, String outName, Tensor out,
                                     ConvGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        rank(op, "w", w, 4);
        rank(op, outName, out, 4);
        int[] xs = in.shape();
        int[] ws = w.shape();
        int cin = xs[1];
        int cout = ws[0];
        String all = inName + " " + str(in) + ", w " + str(w) + ", " + outName + " " + str(out) + ", " + g;
        require(cin % g.groups() == 0 && cout % g.groups() == 0, op + ": channels not divisible by groups: " + all);
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
        int[] wantOut = {xs[0], cout, outH, outW};
        require(Arrays.equals(out.shape(), wantOut), op + ": " + outName + " has shape " + str(out) + ", expected "
                + Arrays.toString(wantOut) + " (" + all + ")");
        return new ConvDims(xs[0], cin, xs[2], xs[3], cout, outH, outW, g);
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ys = tensor(y, op, "y");
        rank(op, "x", x, 4);
        sameShape(op, "x", x, "y", y);
        int[] s = x.shape();
        int channels = s[1];
        float[] gs = perChannel(op, "gamma", gamma, channels);
        float[] bs = perChannel(op, "beta", beta, channels);
        CpuTensor ms = perChannelTensor(op, "saveMean", saveMean, channels);
        CpuTensor is = perChannelTensor(op, "saveInvStd", saveInvStd, channels);
        float[] rm = perChannel(op, "runMean", runMean, channels);
        float[] rv = perChannel(op, "runVar", runVar, channels);
        // the unbiased running variance divides by N*H*W - 1
        require((long) s[0] * s[2] * s[3] >= 2, op + ": needs at least 2 values per channel, x has shape " + str(x));
        require(eps > 0, op + ": eps must be positive, got " + eps);
        require(momentum >= 0 && momentum <= 1, op + ": momentum must be in [0, 1], got " + momentum);
        for (Tensor out : new Tensor[] {y, saveMean, saveInvStd, runMean, runVar}) {
            distinct(op, "an output", out, "x", x);
            distinct(op, "an output", out, "gamma", gamma);
            distinct(op, "an output", out, "beta", beta);
        }
        double[] mean = new double[channels];
        double[] invStd = new double[channels];
        double[] unbiasedVar = new double[channels];
        BatchNormKernels.train(pool, s[0], channels, s[2] * s[3], xs.buffer(), gs, bs, ys.buffer(), eps, mean, invStd,
                unbiasedVar);
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
        tensor(runMean, op, "runMean").buffer().put(0, rm, 0, channels);
        tensor(runVar, op, "runVar").buffer().put(0, rv, 0, channels);
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        String op = "batchNormEval";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ys = tensor(y, op, "y");
        rank(op, "x", x, 4);
        sameShape(op, "x", x, "y", y);
        int[] s = x.shape();
        int channels = s[1];
        float[] gs = perChannel(op, "gamma", gamma, channels);
        float[] bs = perChannel(op, "beta", beta, channels);
        float[] rm = perChannel(op, "runMean", runMean, channels);
        float[] rv = perChannel(op, "runVar", runVar, channels);
        require(eps > 0, op + ": eps must be positive, got " + eps);
        distinct(op, "y", y, "x", x);
        BatchNormKernels.eval(pool, s[0], channels, s[2] * s[3], xs.buffer(), gs, bs, rm, rv, ys.buffer(), eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dxs = tensor(dx, op, "dx");
        rank(op, "x", x, 4);
        sameShape(op, "x", x, "dy", dy);
        sameShape(op, "x", x, "dx", dx);
        int[] s = x.shape();
        int channels = s[1];
        float[] gs = perChannel(op, "gamma", gamma, channels);
        float[] ms = perChannel(op, "saveMean", saveMean, channels);
        float[] is = perChannel(op, "saveInvStd", saveInvStd, channels);
        float[] dgs = perChannel(op, "dGamma", dGamma, channels);
        float[] dbs = perChannel(op, "dBeta", dBeta, channels);
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dGamma", dGamma, "dBeta", dBeta);
        double[] sumDy = new double[channels];
        double[] sumDyXhat = new double[channels];
        BatchNormKernels.backward(pool, s[0], channels, s[2] * s[3], xs.buffer(), dys.buffer(), gs, ms, is,
                dxs.buffer(), sumDy, sumDyXhat);
        for (int c = 0; c < channels; c++) {
            dgs[c] += (float) sumDyXhat[c];
            dbs[c] += (float) sumDy[c];
        }
        tensor(dGamma, op, "dGamma").buffer().put(0, dgs, 0, channels);
        tensor(dBeta, op, "dBeta").buffer().put(0, dbs, 0, channels);
    }

    private CpuTensor perChannelTensor(String op, String name, Tensor t, int channels) {
        CpuTensor a = tensor(t, op, name);
        shape(op, name, t, channels);
        return a;
    }

    /** The contents of a [channels] parameter or statistics tensor, after checking its shape. */
    private float[] perChannel(String op, String name, Tensor t, int channels) {
        return floats(perChannelTensor(op, name, t, channels));
    }

    // ---------------------------------------------------------------- pooling and resampling

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ys = tensor(y, op, "y");
        int[] s = poolShapes(op, "x", x, "y", y, g);
        distinct(op, "y", y, "x", x);
        Pooling.maxForward(pool, s[0] * s[1], s[2], s[3], y.shape()[2], y.shape()[3], g, xs.buffer(), ys.buffer());
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dxs = tensor(dx, op, "dx");
        int[] s = poolShapes(op, "x", x, "dy", dy, g);
        sameShape(op, "x", x, "dx", dx);
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.maxBackward(pool, s[0] * s[1], s[2], s[3], dy.shape()[2], dy.shape()[3], g, xs.buffer(),
                dys.buffer(), dxs.buffer());
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ys = tensor(y, op, "y");
        int[] s = poolShapes(op, "x", x, "y", y, g);
        distinct(op, "y", y, "x", x);
        if (ys.intSize() > 0) {
            ConvDims d = Pooling.averageAsConvolution(s[0], s[1], s[2], s[3], y.shape()[2], y.shape()[3], g);
            float[] w = Pooling.averageWeights(s[1], g, pool.scratch(0).floats(Scratch.WEIGHTS, s[1] * d.taps()));
            DirectConvolution.forward(pool, d, xs.buffer(), w, ys.buffer());
        }
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dxs = tensor(dx, op, "dx");
        int[] s = poolShapes(op, "dx", dx, "dy", dy, g);
        distinct(op, "dx", dx, "dy", dy);
        if (dys.intSize() > 0) {
            ConvDims d = Pooling.averageAsConvolution(s[0], s[1], s[2], s[3], dy.shape()[2], dy.shape()[3], g);
            float[] w = Pooling.averageWeights(s[1], g, pool.scratch(0).floats(Scratch.WEIGHTS, s[1] * d.taps()));
            float[] flipped = pool.scratch(0).floats(Scratch.WEIGHTS_T, s[1] * d.taps());
            DirectConvolution.backwardData(pool, d, dys.buffer(), w, flipped, dxs.buffer());
        }
    }

    /** Checks an input-shaped and an output-shaped tensor against the pooling geometry; returns the input shape. */
    private static int[] poolShapes(String op, String inName, Tensor in, String outName, Tensor out, PoolGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        int[] s = in.shape();
        require(s[2] + 2 * g.padding() >= g.kernel() && s[3] + 2 * g.padding() >= g.kernel(),
                op + ": " + inName + " " + str(in) + " is smaller than the window of " + g);
        int[] want = {s[0], s[1], g.outSize(s[2]), g.outSize(s[3])};
        require(Arrays.equals(out.shape(), want), op + ": " + outName + " has shape " + str(out) + ", expected "
                + Arrays.toString(want) + " for " + inName + " " + str(in) + " and " + g);
        return s;
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride) {
        String op = "subsample";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ys = tensor(y, op, "y");
        int[] s = subsampleShapes(op, "x", x, "y", y, stride);
        distinct(op, "y", y, "x", x);
        Pooling.subsample(pool, s[0] * s[1], s[2], s[3], y.shape()[2], y.shape()[3], stride, xs.buffer(), ys.buffer());
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride) {
        String op = "subsampleBackward";
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dxs = tensor(dx, op, "dx");
        int[] s = subsampleShapes(op, "dx", dx, "dy", dy, stride);
        distinct(op, "dx", dx, "dy", dy);
        Pooling.subsampleBackward(pool, s[0] * s[1], s[2], s[3], dy.shape()[2], dy.shape()[3], stride,
                dys.buffer(), dxs.buffer());
    }

    private static int[] subsampleShapes(String op, String inName, Tensor in, String outName, Tensor out, int stride) {
        require(stride >= 1, op + ": stride must be at least 1, got " + stride);
        rank(op, inName, in, 4);
        int[] s = in.shape();
        int[] want = {s[0], s[1], (s[2] + stride - 1) / stride, (s[3] + stride - 1) / stride};
        require(Arrays.equals(out.shape(), want), op + ": " + outName + " has shape " + str(out) + ", expected "
                + Arrays.toString(want) + " for " + inName + " " + str(in) + " and stride " + stride);
        return s;
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ys = tensor(y, op, "y");
        int[] s = globalPoolShapes(op, "x", x, "y", y);
        Pooling.globalAverage(pool, s[0] * s[1], s[2] * s[3], xs.buffer(), ys.buffer());
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dxs = tensor(dx, op, "dx");
        int[] s = globalPoolShapes(op, "dx", dx, "dy", dy);
        Pooling.globalAverageBackward(pool, s[0] * s[1], s[2] * s[3], dys.buffer(), dxs.buffer());
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
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ws = tensor(w, op, "w");
        CpuTensor bs = tensor(b, op, "b");
        CpuTensor ys = tensor(y, op, "y");
        linearShapes(op, x, w, b, "y", y);
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        distinct(op, "y", y, "b", b);
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
        CpuTensor xs = tensor(x, op, "x");
        CpuTensor ws = tensor(w, op, "w");
        CpuTensor dys = tensor(dy, op, "dy");
        CpuTensor dxs = dx == null ? null : tensor(dx, op, "dx");
        CpuTensor dws = tensor(dw, op, "dw");
        CpuTensor dbs = tensor(db, op, "db");
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
        int batch = d[0];
        int outFeatures = d[2];
        float[] g = floats(dys);
        float[] bias = floats(dbs);
        for (int m = 0; m < outFeatures; m++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                sum += g[n * outFeatures + m];
            }
            bias[m] += (float) sum;
        }
        dbs.buffer().put(0, bias, 0, outFeatures);
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

    /**
     * Computed in float64 on the host: the logits are a small [N, classes] matrix, and the
     * max-subtracted log-sum-exp keeps the loss finite where softmax[label] underflows.
     */
    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        CpuTensor ls = tensor(logits, op, "logits");
        CpuTensor ds = tensor(dLogits, op, "dLogits");
        CpuTensor lbs = tensor(labels, op, "labels");
        CpuTensor out = tensor(loss, op, "loss");
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
        float[] labelValues = floats(lbs);
        double[] asDoubles = new double[labelValues.length];
        for (int n = 0; n < asDoubles.length; n++) {
            asDoubles[n] = labelValues[n];
        }
        int[] ids = ClassLabels.read(op, asDoubles, labels.shape(), batch, classes, logits.shape());
        float[] z = floats(ls);
        float[] grad = floats(ds);
        double total = 0;
        double[] exp = new double[classes];
        for (int n = 0; n < batch; n++) {
            int row = n * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < classes; m++) {
                max = Math.max(max, z[row + m]);
            }
            double sum = 0;
            for (int m = 0; m < classes; m++) {
                exp[m] = Math.exp(z[row + m] - max);
                sum += exp[m];
            }
            total += Math.log(sum) - (z[row + ids[n]] - max);
            for (int m = 0; m < classes; m++) {
                double target = m == ids[n] ? 1.0 : 0.0;
                grad[row + m] += (float) (scale * (exp[m] / sum - target) / batch);
            }
        }
        ds.buffer().put(0, grad, 0, grad.length);
        out.buffer().put(0, (float) (out.buffer().get(0) + scale * (total / batch)));
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        CpuTensor ps = tensor(param, op, "param");
        CpuTensor gs = tensor(grad, op, "grad");
        CpuTensor vs = tensor(velocity, op, "velocity");
        sameSize(op, "param", param, "grad", grad);
        sameSize(op, "param", param, "velocity", velocity);
        StreamKernels.sgdMomentum(pool, ps.buffer(), gs.buffer(), vs.buffer(), ps.intSize(), lr, momentum,
                weightDecay);
    }

    // ---------------------------------------------------------------- helpers

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cpu backend is closed");
        }
    }

    /**
     * {@code t} after checking that it belongs to this backend and is open. A foreign tensor is
     * a caller error about the argument (IllegalArgumentException); a closed one is a lifetime
     * error (IllegalStateException).
     */
    private CpuTensor tensor(Tensor t, String op, String name) {
        Objects.requireNonNull(t, () -> op + ": " + name + " is null");
        ensureOpen();
        if (!(t instanceof CpuTensor nt) || nt.owner() != this) {
            throw new IllegalArgumentException(op + ": " + name + " " + str(t)
                    + " belongs to another backend, not this cpu backend");
        }
        if (nt.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " " + str(t) + " is closed");
        }
        return nt;
    }

    /** A fresh Java copy of a tensor's contents. */
    private static float[] floats(CpuTensor t) {
        float[] a = new float[t.intSize()];
        t.buffer().get(0, a, 0, a.length);
        return a;
    }

    /** Bytes held in the worker threads' scratch arrays (not counted in {@link #memory()}). */
    public long scratchBytes() {
        return pool.scratchBytes();
    }
}
