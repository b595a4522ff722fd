package org.spidernet.backend.reference;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.TensorLedger;

/**
 * The float64, plain-Java backend: the oracle every other backend is tested against. Clarity
 * beats speed.
 *
 * <p>This class dispatches each op to its family ({@link ElementwiseOps}, {@link SamplePairOps},
 * {@link AugmentOps}, {@link ConvolutionOps}, {@link BatchNormOps}, {@link PoolingOps},
 * {@link LinearOps}, {@link LossOps}, {@link SgdOps}), which validates the arguments with the rules
 * every backend shares ({@link org.spidernet.backend.ShapeCheck}, {@link org.spidernet.backend.ConvExtents},
 * {@link org.spidernet.backend.PoolExtents}, ...) and then runs a naive float64 loop nest from the
 * package's kernel classes ({@link Convolution}, {@link BatchNorm}, {@link Pooling}, {@link Linear},
 * {@link SoftmaxCrossEntropy}, {@link SgdMomentum}, {@link Elementwise}, {@link SamplePairs},
 * {@link Augment}); the tensors live in its {@link Storage}.
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
    private final Storage storage;
    private final ElementwiseOps elementwise;
    private final SamplePairOps samplePairs;
    private final AugmentOps augment;
    private final ConvolutionOps convolution;
    private final BatchNormOps batchNorm;
    private final PoolingOps pooling;
    private final LinearOps linear;
    private final LossOps loss;
    private final SgdOps sgd;

    /** A backend limited only by the Java heap. */
    public ReferenceBackend() {
        this(TensorLedger.UNLIMITED);
    }

    /**
     * A backend emulating a device of {@code capacityBytes}: an allocation that would take its
     * tensors past it throws {@link org.spidernet.backend.DeviceOutOfMemoryException}.
     */
    public ReferenceBackend(long capacityBytes) {
        this.storage = new Storage(capacityBytes);
        this.elementwise = new ElementwiseOps(storage);
        this.samplePairs = new SamplePairOps(storage);
        this.augment = new AugmentOps(storage);
        this.convolution = new ConvolutionOps(storage);
        this.batchNorm = new BatchNormOps(storage);
        this.pooling = new PoolingOps(storage);
        this.linear = new LinearOps(storage);
        this.loss = new LossOps(storage);
        this.sgd = new SgdOps(storage);
    }

    @Override
    public String name() {
        return "reference";
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

    /** Invalidates every live tensor and releases its bytes; later use of the backend throws. */
    @Override
    public void close() {
        storage.close();
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
    public void signAgreement(Tensor x, Tensor k) {
        samplePairs.signAgreement(x, k);
    }

    @Override
    public double[] gram(Tensor a) {
        return samplePairs.gram(a);
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        elementwise.scaleAddPerSample(x, factors, row, scale, y);
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
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        augment.augment(raw, out, plan);
    }

    // ---------------------------------------------------------------- convolution

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

    // ---------------------------------------------------------------- batch normalisation

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

    // ---------------------------------------------------------------- pooling and resampling

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

    // ---------------------------------------------------------------- dense head and loss

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

    // ---------------------------------------------------------------- optimiser

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        sgd.sgdMomentum(param, grad, velocity, lr, momentum, weightDecay);
    }
}
