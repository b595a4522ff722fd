package org.spidernet.train;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.Network;

/**
 * One pass of a network over a dataset in evaluation mode: running BatchNorm statistics, no
 * drop-path, no augmentation, the input normalised with {@code stats} exactly as in training
 * ({@link Augmentation#none} carried out by the backend). The one place that does this, so the
 * trainer's test figure, {@code spidernet evaluate} and {@code spidernet predict} run the same
 * code and a saved model reproduces its run's figures exactly.
 */
public final class EvaluationPass {

    /** Receives the classifier logits of each batch, in dataset order. */
    @FunctionalInterface
    public interface BatchLogits {
        /**
         * @param first  dataset index of the batch's first image
         * @param count  images in this batch (the last may be short of the network's batch size)
         * @param logits row {@code i} ({@code classes} values) belongs to image {@code first + i};
         *               rows past {@code count} are padding and mean nothing
         */
        void accept(int first, int count, double[] logits);
    }

    private EvaluationPass() {
    }

    /** Runs {@code net} over every image of {@code data}, in order, in batches of the network's batch size. */
    public static void run(Network net, ImageDataset data, ChannelStats stats, BatchLogits consumer) {
        int batch = net.plan().batchSize();
        Augmentation plain = Augmentation.none(data, stats);
        byte[] raw = new byte[batch * data.imageSize()];
        for (int start = 0; start < data.count(); start += batch) {
            int n = Math.min(batch, data.count() - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            AugmentPlan plan = plain.draw(idx, null, raw);
            net.backend().augment(raw, net.input(), plan);
            net.forward(false, 0, null);
            consumer.accept(start, n, net.classifierLogits());
        }
    }
}
