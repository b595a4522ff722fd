package org.spidernet.train;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * DARTS's bilevel update of the architecture weights, run before each weight step: one Adam step
 * of the alphas on a batch of the held-out architecture split.
 *
 * <p>First order (the default): the gradient is dL_val/dalpha at the current weights w.
 *
 * <p>Second order (DARTS's unrolled approximation): the gradient of L_val(w', alpha) at the
 * weights one SGD step ahead, {@code w' = w - xi (mu v + dL_train/dw + wd w)} (xi the coming weight
 * step's learning rate, v its momentum), which is
 * {@code dL_val/dalpha(w') - xi (dL_train/dalpha(w+) - dL_train/dalpha(w-)) / (2 eps)} with
 * {@code w+- = w +- eps dL_val/dw'} and {@code eps = 0.01 / |dL_val/dw'|}: the Hessian-vector
 * product by central differences. It costs four forward and backward passes instead of one and
 * two extra copies of the parameters ({@link #extraParameterCopies}), allocated once here. The
 * training batch is drawn from the weights' split in an order of its own (the public code reuses
 * the coming weight step's batch; here the step's batch is drawn after this update).
 *
 * <p>Batches cycle through their split in an order drawn per epoch from the seed, so a run resumed
 * at an epoch boundary draws what an uninterrupted one would; BatchNorm runs in training mode as
 * in the weight step, and Gumbel paths draw their noise from the same per-epoch stream.
 */
public final class BilevelStep implements ArchitectureStep, AutoCloseable {
    /** The size of the Hessian-vector product's step in weight space: eps = 0.01 / |dL_val/dw'| (DARTS's choice). */
    public static final double DARTS_HESSIAN_STEP = 0.01;

    private final Network net;
    private final Batches val;
    private final Batches weights;
    private final ArchitectureAdam adam;
    private final TrainConfig tc;
    private final ParameterTensors params;
    /** For second order: the weights w, and dL_val/dw' (null for first order). */
    private final List<Tensor> saved;
    private final List<Tensor> direction;
    private final double hessianStep;
    private Random noise;
    private int epochOfNoise = -1;

    /**
     * @param weightsData the weights' split (read only by the second order's training batches)
     * @param secondOrder the unrolled approximation instead of the first-order gradient
     * @param hessianStep the norm of the second order's finite-difference step in weight space
     *                    ({@link #DARTS_HESSIAN_STEP}; smaller is more exact in exact arithmetic)
     */
    public BilevelStep(Network net, ImageDataset validation, ImageDataset weightsData, ChannelStats stats,
                       ArchitectureAdam adam, TrainConfig tc, long seed, boolean secondOrder, double hessianStep) {
        if (!(hessianStep > 0) || Double.isInfinite(hessianStep)) {
            throw new IllegalArgumentException("Hessian step must be > 0, got " + hessianStep);
        }
        this.hessianStep = hessianStep;
        this.net = net;
        this.val = new Batches(net, validation, stats, seed, "architecture split");
        this.weights = new Batches(net, weightsData, stats, seed ^ 0x632BE59BD9B4E019L, "weights' split");
        this.adam = adam;
        this.tc = tc;
        this.params = ParameterTensors.of(net);
        if (secondOrder) {
            saved = allocateLike(net.backend(), params.values());
            try {
                direction = allocateLike(net.backend(), params.values());
            } catch (RuntimeException | Error e) {
                saved.forEach(Tensor::close);
                throw e;
            }
        } else {
            saved = null;
            direction = null;
        }
    }

    /** Parameter-sized tensors the second order allocates beside the plan: 2, or 0 for first order. */
    public static int extraParameterCopies(boolean secondOrder) {
        return secondOrder ? 2 : 0;
    }

    /**
     * The planned training peak of a supernet trained by bilevel steps: its plan's, plus the
     * parameter copies a second-order step keeps beside it.
     */
    public static long plannedPeak(ExecutionPlan supernet, boolean secondOrder) {
        return supernet.memoryPlan().peakBytes()
                + (long) extraParameterCopies(secondOrder) * supernet.parameterCount() * supernet.bytesPerElement();
    }

    public ArchitectureAdam optimizer() {
        return adam;
    }

    @Override
    public void before(int epoch, int step, double rate) {
        adam.step(net.alphas(), gradient(epoch, step, rate));
    }

    /** The architecture gradient this step would apply (first or second order), without applying it. */
    public double[] gradient(int epoch, int step, double rate) {
        if (epoch != epochOfNoise) {
            noise = new Random(new SplittableRandom(val.seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))).nextLong());
            epochOfNoise = epoch;
        }
        if (saved == null) {
            return lossGradient(val, epoch, step, "architecture");
        }
        Backend b = net.backend();
        List<Tensor> w = params.values();
        // w' = w - xi (mu v + g_train + wd w), from the training batch's gradient at w
        lossGradient(weights, epoch, step, "unrolling");
        for (int i = 0; i < w.size(); i++) {
            b.copy(w.get(i), saved.get(i));
            b.axpy(-rate * tc.momentum(), params.velocities().get(i), w.get(i));
            b.axpy(-rate, params.grads().get(i), w.get(i));
            b.axpy(-rate * tc.weightDecay(), saved.get(i), w.get(i));
        }
        double[] atUnrolled = lossGradient(val, epoch, step, "architecture");
        double norm = 0;
        for (int i = 0; i < w.size(); i++) {
            b.copy(params.grads().get(i), direction.get(i));
            norm += b.dot(direction.get(i), direction.get(i));
        }
        double eps = hessianStep / Math.sqrt(norm);
        double[] plus = atShift(eps, epoch, step);
        double[] minus = atShift(-eps, epoch, step);
        for (int i = 0; i < w.size(); i++) {
            b.copy(saved.get(i), w.get(i));
        }
        double[] g = new double[atUnrolled.length];
        for (int k = 0; k < g.length; k++) {
            g[k] = atUnrolled[k] - rate * (plus[k] - minus[k]) / (2 * eps);
        }
        return g;
    }

    /** dL_train/dalpha at w + shift * dL_val/dw'. */
    private double[] atShift(double shift, int epoch, int step) {
        Backend b = net.backend();
        List<Tensor> w = params.values();
        for (int i = 0; i < w.size(); i++) {
            b.copy(saved.get(i), w.get(i));
            b.axpy(shift, direction.get(i), w.get(i));
        }
        return lossGradient(weights, epoch, step, "Hessian-vector");
    }

    /** Forward and backward over the step's batch of {@code from}; returns dL/dalpha (the weights' gradients stay in the network). */
    private double[] lossGradient(Batches from, int epoch, int step, String what) {
        int[] labels = from.load(epoch, step);
        net.forward(true, 0.0, noise);
        double loss = net.backward(labels);
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(what + " loss became " + loss + " at epoch " + epoch + ", step " + step);
        }
        return net.alphaGradients();
    }

    private static List<Tensor> allocateLike(Backend b, List<Tensor> like) {
        List<Tensor> out = new ArrayList<>(like.size());
        try {
            for (Tensor t : like) {
                out.add(b.allocate(t.shape()));
            }
        } catch (RuntimeException | Error e) {
            out.forEach(Tensor::close);
            throw e;
        }
        return out;
    }

    @Override
    public void close() {
        if (saved != null) {
            saved.forEach(Tensor::close);
            direction.forEach(Tensor::close);
        }
    }

    /** Batches of one split in an order drawn per epoch from a seed, loaded into the network's input. */
    private static final class Batches {
        private final Network net;
        private final ImageDataset data;
        private final Augmentation plain;
        private final long seed;
        private final byte[] raw;
        private final int[] idx;
        private final int[] labels;
        private int[] order;
        private int epochOfOrder = -1;

        Batches(Network net, ImageDataset data, ChannelStats stats, long seed, String what) {
            int batch = net.plan().batchSize();
            if (data.count() < batch) {
                throw new IllegalArgumentException(what + " has " + data.count() + " images, fewer than one batch of " + batch);
            }
            this.net = net;
            this.data = data;
            this.plain = Augmentation.none(data, stats);
            this.seed = seed;
            this.raw = new byte[batch * data.imageSize()];
            this.idx = new int[batch];
            this.labels = new int[batch];
        }

        /** Loads the batch of {@code step} into the network's input; returns its labels. */
        int[] load(int epoch, int step) {
            if (epoch != epochOfOrder) {
                SplittableRandom root = new SplittableRandom(seed ^ (0xD1B54A32D192ED03L * (epoch + 1)));
                order = Trainer.permutation(data.count(), new Random(root.nextLong()));
                epochOfOrder = epoch;
            }
            int batch = idx.length;
            int start = (step % (data.count() / batch)) * batch;
            for (int i = 0; i < batch; i++) {
                idx[i] = order[start + i];
                labels[i] = data.label(idx[i]);
            }
            AugmentPlan p = plain.draw(idx, null, raw);
            net.backend().augment(raw, net.input(), p);
            return labels.clone();
        }
    }
}
