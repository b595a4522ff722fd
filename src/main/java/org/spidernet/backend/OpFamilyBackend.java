package org.spidernet.backend;

import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.ConvGeometry;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Backend} whose ops are carried out by one object per op family, handed to its
 * constructor: every family method of the SPI is delegated here, once for all backends, so a
 * backend extends this class and implements only what is not an op family or its storage (naming,
 * lifecycle and, for a device backend, {@link #synchronize()} and
 * {@link #capture}). One object may serve several families (a host backend's elementwise family
 * also runs its gated sums). Each family checks its own arguments, so behaviour and messages are
 * the family's; this class adds nothing to a call.
 */
public abstract class OpFamilyBackend implements Backend {
    private final StorageOps storage;
    private final ElementwiseOps elementwise;
    private final GatedSumOps gatedSums;
    private final AugmentOps augment;
    private final SamplePairOps samplePairs;
    private final ConvolutionOps convolution;
    private final BatchNormOps batchNorm;
    private final PoolingOps pooling;
    private final ConcatOps concat;
    private final LinearOps linear;
    private final LossOps loss;
    private final SgdOps sgd;

    protected OpFamilyBackend(StorageOps storage, ElementwiseOps elementwise, GatedSumOps gatedSums, AugmentOps augment,
                              SamplePairOps samplePairs, ConvolutionOps convolution, BatchNormOps batchNorm,
                              PoolingOps pooling, ConcatOps concat, LinearOps linear, LossOps loss, SgdOps sgd) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.elementwise = Objects.requireNonNull(elementwise, "elementwise");
        this.gatedSums = Objects.requireNonNull(gatedSums, "gatedSums");
        this.augment = Objects.requireNonNull(augment, "augment");
        this.samplePairs = Objects.requireNonNull(samplePairs, "samplePairs");
        this.convolution = Objects.requireNonNull(convolution, "convolution");
        this.batchNorm = Objects.requireNonNull(batchNorm, "batchNorm");
        this.pooling = Objects.requireNonNull(pooling, "pooling");
        this.concat = Objects.requireNonNull(concat, "concat");
        this.linear = Objects.requireNonNull(linear, "linear");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.sgd = Objects.requireNonNull(sgd, "sgd");
    }

    // ---------------------------------------------------------------- storage

    @Override
    public final Tensor allocate(int... shape) {
        return storage.allocate(shape);
    }

    @Override
    public final void upload(Tensor dst, double[] data) {
        storage.upload(dst, data);
    }

    @Override
    public final void upload(Tensor dst, float[] data) {
        storage.upload(dst, data);
    }

    @Override
    public final double[] download(Tensor src) {
        return storage.download(src);
    }

    @Override
    public final MemoryStats memory() {
        return storage.memory();
    }

    @Override
    public final void resetPeak() {
        storage.resetPeak();
    }

    // ---------------------------------------------------------------- elementwise and reductions

    @Override
    public final void fill(Tensor t, double value) {
        elementwise.fill(t, value);
    }

    @Override
    public final void copy(Tensor src, Tensor dst) {
        elementwise.copy(src, dst);
    }

    @Override
    public final void copyInto(Tensor src, Tensor dst, long offset) {
        elementwise.copyInto(src, dst, offset);
    }

    @Override
    public final void axpy(double alpha, Tensor x, Tensor y) {
        elementwise.axpy(alpha, x, y);
    }

    @Override
    public final double dot(Tensor a, Tensor b) {
        return elementwise.dot(a, b);
    }

    @Override
    public final double[] dotPerSample(Tensor a, Tensor b) {
        return elementwise.dotPerSample(a, b);
    }

    @Override
    public final void relu(Tensor x, Tensor y) {
        elementwise.relu(x, y);
    }

    @Override
    public final void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        elementwise.reluBackward(x, dy, dx);
    }

    // ---------------------------------------------------------------- gated sums

    @Override
    public final void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        gatedSums.gateGradient(dy, x, factors, scale, gateGrads, gate);
    }

    @Override
    public final void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        gatedSums.scaleAddPerSample(x, factors, row, scale, y);
    }

    @Override
    public final void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        gatedSums.gatedSum(xs, factors, rows, scales, y);
    }

    @Override
    public final void gatedSumBackward(Tensor dy, List<Tensor> xs, Tensor factors, int[] gates, double[] scales,
                                       List<Tensor> dxs, Tensor gateGrads) {
        gatedSums.gatedSumBackward(dy, xs, factors, gates, scales, dxs, gateGrads);
    }

    // ---------------------------------------------------------------- input pipeline and sample pairs

    @Override
    public final void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        augment.augment(raw, out, plan);
    }

    @Override
    public final void signAgreement(Tensor x, Tensor k) {
        samplePairs.signAgreement(x, k);
    }

    @Override
    public final double[] gram(Tensor a) {
        return samplePairs.gram(a);
    }

    // ---------------------------------------------------------------- convolution and batch normalisation

    @Override
    public final void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        convolution.conv2d(x, w, y, g);
    }

    @Override
    public final void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        convolution.conv2dBackwardData(dy, w, dx, g);
    }

    @Override
    public final void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        convolution.conv2dBackwardFilter(x, dy, dw, g);
    }

    @Override
    public final void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean,
                                     Tensor saveInvStd, Tensor runMean, Tensor runVar, double momentum, double eps) {
        batchNorm.batchNormTrain(x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar, momentum, eps);
    }

    @Override
    public final void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                                    double eps) {
        batchNorm.batchNormEval(x, gamma, beta, runMean, runVar, y, eps);
    }

    @Override
    public final void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                        Tensor dx, Tensor dGamma, Tensor dBeta) {
        batchNorm.batchNormBackward(x, dy, gamma, saveMean, saveInvStd, dx, dGamma, dBeta);
    }

    // ---------------------------------------------------------------- pooling and resampling

    @Override
    public final void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        pooling.maxPool(x, y, g);
    }

    @Override
    public final void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        pooling.maxPoolBackward(x, dy, dx, g);
    }

    @Override
    public final void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        pooling.avgPool(x, y, g);
    }

    @Override
    public final void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        pooling.avgPoolBackward(dy, dx, g);
    }

    @Override
    public final void subsample(Tensor x, Tensor y, int stride, int offset) {
        pooling.subsample(x, y, stride, offset);
    }

    @Override
    public final void subsampleBackward(Tensor dy, Tensor dx, int stride, int offset) {
        pooling.subsampleBackward(dy, dx, stride, offset);
    }

    @Override
    public final void globalAvgPool(Tensor x, Tensor y) {
        pooling.globalAvgPool(x, y);
    }

    @Override
    public final void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        pooling.globalAvgPoolBackward(dy, dx);
    }

    // ---------------------------------------------------------------- channel concatenation

    @Override
    public final void concatChannels(List<Tensor> xs, Tensor y) {
        concat.concatChannels(xs, y);
    }

    @Override
    public final void concatChannelsBackward(Tensor dy, int[] channels, List<Tensor> dxs) {
        concat.concatChannelsBackward(dy, channels, dxs);
    }

    // ---------------------------------------------------------------- dense head, loss and optimiser

    @Override
    public final void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        linear.linear(x, w, b, y);
    }

    @Override
    public final void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        linear.linearBackward(x, w, dy, dx, dw, db);
    }

    @Override
    public final void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        this.loss.softmaxCrossEntropy(logits, labels, dLogits, loss, scale);
    }

    @Override
    public final void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                                  double weightDecay) {
        sgd.sgdMomentum(param, grad, velocity, lr, momentum, weightDecay);
    }

    @Override
    public final void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                                     double momentum, double weightDecay) {
        sgd.sgdMomentumAll(params, grads, velocities, rate, momentum, weightDecay);
    }
}
