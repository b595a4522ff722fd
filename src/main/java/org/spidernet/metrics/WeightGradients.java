package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamInit;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gradient of one batch's cross-entropy with respect to every conv and linear weight, the
 * input of the gradient-based proxies (snip, grad_norm). L is the mean softmax cross-entropy of
 * the classifier's logits (auxiliary heads are SpiderNet's training device, not part of f), so
 * dL/dlogits is computed on the host and back-propagated with {@code backwardFromLogits}.
 * Genome at its own width (or {@code width}), Kaiming fan_in init, BatchNorm in training mode.
 */
final class WeightGradients {
    /** One weight tensor: its name, values and gradient. */
    record Layer(String name, double[] weight, double[] grad) {
    }

    private WeightGradients() {
    }

    static List<Layer> compute(ScoringContext ctx, int width, int batchSize, Set<EdgeRef> switchedOff) {
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        Backend backend = ctx.backend();
        try (Network net = ScoringNetwork.open(backend, genome, batchSize, PlanOptions.TRAINING, ctx.initSeed(),
                InitScheme.FAN_IN, switchedOff)) {
            ImageBatchSampler.Batch batch = ImageBatchSampler.of(ctx).next(batchSize);
            net.forward(batch.pixels(), true, 0.0, null);
            net.backwardFromLogits(crossEntropyGradient(net.classifierLogits(), batch.labels(),
                    genome.input().classes()));
            List<Layer> layers = new ArrayList<>();
            for (ParamSpec p : net.plan().parameters()) {
                if (p.init() == ParamInit.CONV_KAIMING || p.init() == ParamInit.LINEAR_WEIGHT) {
                    layers.add(new Layer(p.name(), backend.download(net.tensor(p.value())),
                            backend.download(net.tensor(p.grad()))));
                }
            }
            return layers;
        }
    }

    /** d(mean_n CE(softmax(z_n), y_n))/dz = (softmax(z_n) - onehot(y_n)) / N, row by row. */
    static double[] crossEntropyGradient(double[] logits, int[] labels, int classes) {
        int n = labels.length;
        double[] d = new double[logits.length];
        for (int s = 0; s < n; s++) {
            int o = s * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[o + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                d[o + k] = Math.exp(logits[o + k] - max);
                sum += d[o + k];
            }
            for (int k = 0; k < classes; k++) {
                d[o + k] = (d[o + k] / sum - (k == labels[s] ? 1 : 0)) / n;
            }
        }
        return d;
    }
}
