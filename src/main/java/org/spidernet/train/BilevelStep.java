package org.spidernet.train;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.Network;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * DARTS's first-order bilevel update: before each weight step, one step of the architecture
 * weights on a batch of the held-out search split, {@code alpha -= Adam(dL_val/dalpha)} with
 * the current weights (the approximation the DARTS paper calls first order). The batches cycle
 * through the split in an order drawn per epoch from the seed, so a run resumed at an epoch
 * boundary draws what an uninterrupted one would; BatchNorm runs in training mode as in the
 * weight step, and Gumbel paths draw their noise from the same per-epoch stream.
 */
public final class BilevelStep implements ArchitectureStep {
    private final Network net;
    private final ImageDataset validation;
    private final Augmentation plain;
    private final ArchitectureAdam adam;
    private final long seed;
    private final byte[] raw;
    private final int[] idx;
    private final int[] labels;
    private int[] order;
    private Random noise;
    private int epochOfOrder = -1;

    public BilevelStep(Network net, ImageDataset validation, ChannelStats stats, ArchitectureAdam adam, long seed) {
        int batch = net.plan().batchSize();
        if (validation.count() < batch) {
            throw new IllegalArgumentException("architecture split has " + validation.count()
                    + " images, fewer than one batch of " + batch);
        }
        this.net = net;
        this.validation = validation;
        this.plain = Augmentation.none(validation, stats);
        this.adam = adam;
        this.seed = seed;
        this.raw = new byte[batch * validation.imageSize()];
        this.idx = new int[batch];
        this.labels = new int[batch];
    }

    public ArchitectureAdam optimizer() {
        return adam;
    }

    @Override
    public void before(int epoch, int step, int stepsPerEpoch) {
        if (epoch != epochOfOrder) {
            SplittableRandom root = new SplittableRandom(seed ^ (0xD1B54A32D192ED03L * (epoch + 1)));
            order = Trainer.permutation(validation.count(), new Random(root.nextLong()));
            noise = new Random(root.nextLong());
            epochOfOrder = epoch;
        }
        int batch = idx.length;
        int batches = validation.count() / batch;
        int start = (step % batches) * batch;
        for (int i = 0; i < batch; i++) {
            idx[i] = order[start + i];
            labels[i] = validation.label(idx[i]);
        }
        AugmentPlan p = plain.draw(idx, null, raw);
        net.backend().augment(raw, net.input(), p);
        net.forward(true, 0.0, noise);
        double loss = net.backward(labels);
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("architecture loss became " + loss + " at epoch " + epoch + ", step " + step);
        }
        adam.step(net.alphas(), net.alphaGradients());
    }
}
