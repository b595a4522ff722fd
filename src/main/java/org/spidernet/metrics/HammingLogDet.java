package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;

import java.util.Arrays;
import java.util.Set;

/**
 * NASWOT v2, the Hamming log-determinant (Mellor et al., ICML 2021). Higher is better.
 *
 * <p>One batch of {@code batchSize} normalised training images through the genome at its own
 * width (or {@code width}), Kaiming fan_in init, BatchNorm in training mode (as the reference's
 * freshly built module), forward only. Each sample's code is the sign pattern of every ReLU unit;
 * {@code K[i][j] = N_A - hamming(c_i, c_j)}, accumulated ReLU by ReLU on the backend
 * ({@code Backend.signAgreement} on the ReLU inputs, {@code Network.reluInputTensors()}), so only
 * K leaves the device; the score is
 * {@code log|det K|} ({@link LogDeterminant}, the reference's {@code slogdet}). Two samples with
 * the same code make K singular: log|det| is -infinity, reported as a failure, as is a network
 * without ReLUs (K = 0). K's entries are integers up to N_A, held exactly by a float32 backend
 * while N_A stays below 2^24 (16.7 million units per sample).
 */
public final class HammingLogDet implements TrainFreeMetric {
    public static final String NAME = "naswot_v2";

    private final int width;
    private final int batchSize;

    /** The reference's batch of 128 at the genome's own width. */
    public HammingLogDet() {
        this(0, 128);
    }

    /** @param width network width C for scoring; 0 keeps the genome's own */
    public HammingLogDet(int width, int batchSize) {
        if (width < 0 || batchSize < 1) {
            throw new IllegalArgumentException("naswot_v2: width " + width + ", batch size " + batchSize
                    + " (need width >= 0, batch size >= 1)");
        }
        this.width = width;
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
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        Backend backend = ctx.backend();
        double[] k;
        long units;
        try (Network net = ScoringNetwork.open(backend, genome, batchSize, PlanOptions.TRAINING,
                ctx.initSeed(), InitScheme.FAN_IN, switchedOff);
             Tensor kernel = backend.allocate(batchSize, batchSize)) {
            net.forward(ImageBatchSampler.of(ctx).next(batchSize).pixels(), true, 0.0, null);
            units = net.plan().reluUnitsPerSample();
            for (Tensor relu : net.reluInputTensors()) {
                // x * x is never NaN for a number (at worst infinite), so a NaN dot product means a NaN unit
                if (Double.isNaN(backend.dot(relu, relu))) {
                    return MetricResult.nonFinite(NAME, Double.NaN,
                            "a ReLU pre-activation is NaN: its sign pattern is undefined");
                }
                backend.signAgreement(relu, kernel);
            }
            k = backend.download(kernel);
        }
        double[][] rows = new double[batchSize][];
        for (int i = 0; i < batchSize; i++) {
            rows[i] = Arrays.copyOfRange(k, i * batchSize, (i + 1) * batchSize);
        }
        LogDeterminant ld = LogDeterminant.of(rows);
        return MetricResult.of(NAME, ld.logAbs(), units == 0 ? "the network has no ReLU: K = 0"
                : "K is singular (two samples share an activation code)");
    }
}
