package org.spidernet.metrics;

import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import java.util.Set;

/**
 * Number of linear regions (TE-NAS; SpiderNet's expressivity score). Higher is better.
 *
 * <p>The genome is re-instantiated at width 1 with the stem bypassed, so it reads single-channel
 * 3x3 inputs directly: random crops of normalised training images ({@link CropSampler}).
 * Kaiming-normal fan_in init. Forward only, {@code batches} passes of {@code batchSize} crops;
 * every sample's code is the sign pattern of every ReLU unit; the score is the number of distinct
 * codes.
 *
 * <p>Two choices follow TE-NAS's reference code ({@code Linear_Region_Collector} with
 * {@code LinearRegionCount(batch * sample_batch)}): the codes of all batches are <b>pooled</b>
 * before counting (3 x 1000 crops give one count over 3000 samples, not the mean of three counts),
 * and BatchNorm runs in <b>training mode</b> ({@code network_thin.train()} under
 * {@code torch.no_grad()}), so each batch is normalised by its own statistics. The reference
 * computes sum_i 1 / #{j : code_j = code_i} in half precision; that is the distinct count, which is
 * counted exactly here. A network without ReLUs is linear: one region.
 */
public final class LinearRegionCount implements TrainFreeMetric {
    public static final String NAME = "lrc";
    /** Width of the re-instantiated network; the crops have one channel, and the bypassed stem needs as many. */
    public static final int WIDTH = 1;

    private final int batches;
    private final int batchSize;

    /** SpiderNet's settings: 3 batches of 1000 crops. */
    public LinearRegionCount() {
        this(3, 1000);
    }

    public LinearRegionCount(int batches, int batchSize) {
        if (batches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("lrc: batches " + batches + ", batch size " + batchSize
                    + " (need at least one batch of one crop)");
        }
        this.batches = batches;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public MetricResult score(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        ActivationCodes codes = codes(ctx, switchedOff);
        if (!codes.finite()) {
            return MetricResult.nonFinite(NAME, Double.NaN, "a ReLU pre-activation is NaN: its sign pattern is undefined");
        }
        return MetricResult.of(NAME, codes.distinctCount(), "");
    }

    /** The pooled activation codes of every crop of every batch. */
    ActivationCodes codes(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        Genome g = ctx.genome();
        Genome thin = thinGenome(g);
        CropSampler crops = CropSampler.of(ctx);
        try (Network net = ScoringNetwork.open(ctx.backend(), thin, batchSize, PlanOptions.TRAINING.withoutStem(),
                ctx.initSeed(), InitScheme.FAN_IN, switchedOff)) {
            ActivationCodes codes = new ActivationCodes(batches * batchSize, net.plan().reluUnitsPerSample());
            for (int b = 0; b < batches; b++) {
                net.forward(crops.next(batchSize), true, 0.0, null);
                codes.append(net.reluInputs(), batchSize);
            }
            return codes;
        }
    }

    /** The genome at width 1 reading one-channel 3x3 crops. */
    public static Genome thinGenome(Genome g) {
        return ScoringNetwork.withInput(g, new InputSpec(1, CropSampler.SIZE, CropSampler.SIZE, g.input().classes()),
                WIDTH);
    }
}
