package org.spidernet.backend.cpu;

import java.util.List;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendUnavailableException;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.TensorLedger;

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
 *       ({@link DirectConvolution}), pooling ({@link PoolingKernels}), batch normalisation
 *       ({@link BatchNormKernels}) and the elementwise and reduction loops
 *       ({@link StreamKernels}, {@link RowKernels}), reading and writing the same native memory through direct
 *       buffers. libnd4j's depthwise and backward convolutions were one to two orders of
 *       magnitude slower at these sizes; each class says why for its ops.</li>
 * </ul>
 *
 * <p>Strict like the reference backend: a tensor from another backend is an
 * {@link IllegalArgumentException}, a closed tensor (or any use after {@link #close()}) an
 * {@link IllegalStateException}, and outside the elementwise ops (fill, copy, axpy,
 * scaleAddPerSample, relu, reluBackward, sgdMomentum) an output must not be one of the inputs.
 *
 * <p>This class dispatches each op to its family ({@link Elementwise}, {@link SamplePairs},
 * {@link Augment}, {@link Convolution}, {@link BatchNorm}, {@link Pooling}, {@link Linear},
 * {@link Loss}, {@link Sgd}), which checks the arguments with the shared rules of
 * {@link org.spidernet.backend.ShapeCheck} and friends and calls the kernels; the tensors live in
 * its {@link Storage}.
 *
 * <p>Not thread-safe: one backend instance belongs to one thread at a time (it runs its own
 * worker threads inside each op).
 */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final Storage storage;
    private final Elementwise elementwise;
    private final SamplePairs samplePairs;
    private final Augment augment;
    private final Convolution convolution;
    private final BatchNorm batchNorm;
    private final Pooling pooling;
    private final Linear linear;
    private final Loss loss;
    private final Sgd sgd;

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
        Availability a = Nd4jRuntime.availability();
        if (!a.usable()) {
            throw new BackendUnavailableException("cpu backend unavailable: " + a.detail());
        }
        this.pool = new WorkerPool(workers);
        this.storage = new Storage(capacityBytes, pool);
        this.elementwise = new Elementwise(storage, pool);
        this.samplePairs = new SamplePairs(storage, pool);
        this.augment = new Augment(storage, pool);
        this.convolution = new Convolution(storage, pool);
        this.batchNorm = new BatchNorm(storage, pool);
        this.pooling = new Pooling(storage, pool);
        this.linear = new Linear(storage);
        this.loss = new Loss(storage);
        this.sgd = new Sgd(storage, pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int bytesPerElement() {
        return Storage.BYTES_PER_ELEMENT;
    }

    // ---------------------------------------------------------------- storage

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

    /** Frees every live tensor and stops the worker threads; later use of the backend throws. */
    @Override
    public void close() {
        if (storage.isClosed()) {
            return;
        }
        storage.close();
        pool.close();
    }

    /** Bytes held in the worker threads' scratch arrays (not counted in {@link #memory()}). */
    public long scratchBytes() {
        return pool.scratchBytes();
    }

    // ---------------------------------------------------------------- elementwise and reductions

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
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        elementwise.gateGradient(dy, x, factors, scale, gateGrads, gate);
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        elementwise.scaleAddPerSample(x, factors, row, scale, y);
    }

    @Override
    public void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        elementwise.gatedSum(xs, factors, rows, scales, y);
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
    public void signAgreement(Tensor x, Tensor k) {
        samplePairs.signAgreement(x, k);
    }

    @Override
    public double[] gram(Tensor a) {
        return samplePairs.gram(a);
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        augment.apply(raw, out, plan);
    }

    // ---------------------------------------------------------------- layers

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
        pooling.max(x, y, g);
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        pooling.maxBackward(x, dy, dx, g);
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        pooling.average(x, y, g);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        pooling.averageBackward(dy, dx, g);
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
        pooling.globalAverage(x, y);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        pooling.globalAverageBackward(dy, dx);
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
        this.loss.softmaxCrossEntropy(logits, labels, dLogits, loss, scale);
    }

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        sgd.momentum(param, grad, velocity, lr, momentum, weightDecay);
    }
}
