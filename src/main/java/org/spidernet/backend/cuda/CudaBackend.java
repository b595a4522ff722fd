package org.spidernet.backend.cuda;

import java.util.List;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.TensorLedger;

/**
 * The float32 CUDA backend: every SPI op is a kernel of {@code cuda-kernels/} queued on one
 * context's stream, on tensors from that context's stream-ordered memory pool.
 *
 * <p>This class dispatches to the op families ({@link Convolution}, {@link Pooling},
 * {@link BatchNorm}, {@link Elementwise}, {@link GatedSums}, {@link Linear},
 * {@link SoftmaxCrossEntropy}, {@link SgdMomentum}, {@link SamplePairs}, {@link Augment}). Each
 * checks its arguments in Java first (the SPI's shape rules, then {@link KernelLimits}), then calls
 * the C API, whose status becomes a {@link CudaException} naming the call, except that an
 * allocation the device cannot supply is a {@link org.spidernet.backend.DeviceOutOfMemoryException},
 * which the search recovers from. Kernel faults surface at the next call that waits for the
 * stream (a download, {@link #dot}, {@link #dotPerSample}, {@link #gram}, an upload or
 * {@link #synchronize()}); with {@value #SYNCHRONOUS_PROPERTY}{@code =true} every op waits for its
 * own kernels and a fault names it.
 *
 * <p>Host data crosses only where the SPI says so, so a training step can be recorded as a CUDA
 * graph ({@link #capture}, {@link GraphCapture}). {@link #memory()} counts the tensors handed out
 * by {@link #allocate} exactly (the figure execution plans are checked against); the scratch
 * buffers and the pool's own rounding are extra, see {@link #poolUsedBytes()} and
 * {@link #scratchBytes()}. Not thread-safe: one backend belongs to one thread at a time.
 */
public final class CudaBackend implements Backend {
    /** System property that makes every op wait for its kernels ({@code -Dspidernet.cuda.synchronous=true}). */
    public static final String SYNCHRONOUS_PROPERTY = "spidernet.cuda.synchronous";

    private final DeviceSession session;
    private final TensorStorage storage;
    private final Elementwise elementwise;
    private final GatedSums gatedSums;
    private final SamplePairs samplePairs;
    private final Augment augment;
    private final Convolution convolution;
    private final BatchNorm batchNorm;
    private final Pooling pooling;
    private final Linear linear;
    private final SoftmaxCrossEntropy softmaxCrossEntropy;
    private final SgdMomentum sgd;

    private CudaBackend(DeviceSession session) {
        this.session = session;
        this.storage = session.storage();
        DeviceStream stream = session.stream();
        this.elementwise = new Elementwise(stream, storage);
        this.gatedSums = new GatedSums(stream, storage, session.gatedTables());
        this.samplePairs = new SamplePairs(stream, storage);
        this.augment = new Augment(stream, storage, session.staging());
        this.convolution = new Convolution(stream, storage);
        this.batchNorm = new BatchNorm(stream, storage);
        this.pooling = new Pooling(stream, storage);
        this.linear = new Linear(stream, storage);
        this.softmaxCrossEntropy = new SoftmaxCrossEntropy(stream, storage);
        this.sgd = new SgdMomentum(stream, storage, session.sgdTable());
    }

    /**
     * Opens a backend on the first supported device; throws
     * {@link org.spidernet.backend.BackendUnavailableException} without one. Synchronous mode
     * (for debugging a kernel fault, slow) is on when the system property
     * {@value #SYNCHRONOUS_PROPERTY} is {@code true}.
     */
    public static CudaBackend open() {
        return open(TensorLedger.UNLIMITED);
    }

    /**
     * Opens a backend with its own stream and memory pool on {@code device}. When
     * {@code synchronous}, every op waits for its kernels and a fault names the op.
     */
    public static CudaBackend open(int device, boolean synchronous) {
        return open(device, synchronous, TensorLedger.UNLIMITED);
    }

    /**
     * As {@link #open(int, boolean)}, with the tensors limited to {@code capacityBytes} together
     * (a device smaller than this one, emulated as on the host backends); {@link TensorLedger#UNLIMITED}
     * for the whole device.
     */
    public static CudaBackend open(int device, boolean synchronous, long capacityBytes) {
        return new CudaBackend(DeviceSession.open(device, synchronous, capacityBytes));
    }

    /**
     * {@link #open()} with the tensors limited to {@code capacityBytes} together. On the emulated
     * device the limit is the device's own memory instead (its pool refuses beyond it, as a small
     * GPU's would, so out-of-memory comes from the native allocator), until this backend closes.
     */
    public static CudaBackend open(long capacityBytes) {
        return new CudaBackend(DeviceSession.openFirst(capacityBytes));
    }

    /** "cuda", or "cuda-emulated" where this JVM runs the emulated device. */
    @Override
    public String name() {
        return CudaProbe.result().emulated() ? EmulatedCudaBackendProvider.NAME : "cuda";
    }

    @Override
    public int bytesPerElement() {
        return TensorStorage.BYTES_PER_ELEMENT;
    }

    /** The device this backend runs on. */
    public int device() {
        return session.context().device();
    }

    @Override
    public Tensor allocate(int... shape) {
        return storage.allocate(shape);
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        storage.upload(dst, data);
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        storage.upload(dst, data);
    }

    @Override
    public double[] download(Tensor src) {
        return storage.download(src);
    }

    @Override
    public MemoryStats memory() {
        return storage.memory();
    }

    @Override
    public void resetPeak() {
        storage.resetPeak();
    }

    /** Bytes of the context's pool held by live allocations (tensors, scratch, the pool's rounding); waits for the stream. */
    public long poolUsedBytes() {
        return storage.poolUsedBytes();
    }

    /**
     * The pool's high-water mark of bytes in use (tensors, scratch and the pool's rounding) since
     * the backend was opened or the last reset: the measured peak the execution plan's planned peak
     * is compared with on a device. {@code reset} restarts it from the bytes in use now. Waits for the stream.
     */
    public long poolPeakBytes(boolean reset) {
        return storage.poolPeakBytes(reset);
    }

    /** Bytes held by the scratch buffers (host-argument staging and reduction workspace) and the kernels' tables. */
    public long scratchBytes() {
        return session.scratchBytes();
    }

    @Override
    public void synchronize() {
        session.synchronize();
    }

    /** Frees every tensor still open, the scratch buffers and the context (see {@link DeviceSession}). */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public void fill(Tensor t, double value) {
        elementwise.fill(t, value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        elementwise.copy(src, dst);
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        elementwise.copyInto(src, dst, offset);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        elementwise.axpy(alpha, x, y);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        return elementwise.dot(a, b);
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        return elementwise.dotPerSample(a, b);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        elementwise.relu(x, y);
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        elementwise.reluBackward(x, dy, dx);
    }

    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        gatedSums.gateGradient(dy, x, factors, scale, gateGrads, gate);
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        gatedSums.scaleAddPerSample(x, factors, row, scale, y);
    }

    @Override
    public void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        gatedSums.gatedSum(xs, factors, rows, scales, y);
    }

    @Override
    public void gatedSumBackward(Tensor dy, List<Tensor> xs, Tensor factors, int[] gates, double[] scales,
                                 List<Tensor> dxs, Tensor gateGrads) {
        gatedSums.gatedSumBackward(dy, xs, factors, gates, scales, dxs, gateGrads);
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        samplePairs.signAgreement(x, k);
    }

    @Override
    public double[] gram(Tensor a) {
        return samplePairs.gram(a);
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        augment.augment(raw, out, plan);
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        convolution.forward(x, w, y, g);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        convolution.backwardData(dy, w, dx, g);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        convolution.backwardFilter(x, dy, dw, g);
    }

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        batchNorm.train(x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar, momentum, eps);
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        batchNorm.eval(x, gamma, beta, runMean, runVar, y, eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        batchNorm.backward(x, dy, gamma, saveMean, saveInvStd, dx, dGamma, dBeta);
    }

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        pooling.maxPool(x, y, g);
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        pooling.maxPoolBackward(x, dy, dx, g);
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        pooling.avgPool(x, y, g);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        pooling.avgPoolBackward(dy, dx, g);
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride) {
        pooling.subsample(x, y, stride);
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride) {
        pooling.subsampleBackward(dy, dx, stride);
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        pooling.globalAvgPool(x, y);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        pooling.globalAvgPoolBackward(dy, dx);
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        linear.forward(x, w, b, y);
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        linear.backward(x, w, dy, dx, dw, db);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        softmaxCrossEntropy.run(logits, labels, dLogits, loss, scale);
    }

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        sgd.step(param, grad, velocity, lr, momentum, weightDecay);
    }

    @Override
    public void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                               double momentum, double weightDecay) {
        sgd.stepAll(params, grads, velocities, rate, momentum, weightDecay);
    }

    /** A step recorded as a CUDA graph on its first replay, launched as one afterwards (see {@link CudaCapturedStep}). */
    @Override
    public CapturedStep capture(Runnable step) {
        return session.graphs().capture(step);
    }

    /** The graphs' recording, for tests that record a step without running it. */
    GraphCapture graphs() {
        return session.graphs();
    }

    /** The gated sums, for tests that count their launches or swap the gate-gradient fold. */
    GatedSums gatedSums() {
        return gatedSums;
    }

    /** Fused-update tables copied to the device since the backend was opened (see {@link SgdMomentumTable}). */
    long sgdMomentumTableUploads() {
        return session.sgdTable().uploads();
    }
}
