package org.spidernet.train;

import org.spidernet.backend.BackendProvider;

/**
 * Defaults of {@code spidernet train}: the network's C and R and the {@link TrainConfig}. Only C
 * depends on the machine, by capability (see {@link BackendProvider#capabilities()}): SpiderNet's
 * 64 with a real device, 12 without one ({@code cuda-emulated} runs on the host's cores and
 * reports no device, so it trains like a CPU). A one- or two-epoch run only anneals with per-step
 * decay, and SpiderNet's regularisation only costs accuracy that short, so the defaults are flips
 * only, no drop-path, cosine moved every step.
 */
public record TrainDefaults(int channels, int reductions, TrainConfig train) {
    public static final String DATASET = "fashion-mnist";
    public static final String BACKEND = "auto";
    public static final int CPU_CHANNELS = 12;
    public static final int GPU_CHANNELS = 64;
    public static final int REDUCTIONS = 2;
    public static final int EPOCHS = 1;
    public static final int BATCH = 64;
    public static final int VALIDATION = 640;
    public static final double LEARNING_RATE = 0.1;
    public static final double DROP_PATH = 0;
    public static final int CROP = 0;
    public static final int CUTOUT = 0;
    public static final long SEED = 1;

    public static TrainDefaults forMachine(BackendProvider.Capabilities caps) {
        TrainConfig t = TrainConfig.spiderNetDefaults(SEED).withEpochs(EPOCHS).withBatch(BATCH)
                .withLearningRate(LEARNING_RATE).withDropPath(DROP_PATH).withValidation(VALIDATION)
                .withAugmentation(CROP, true, CUTOUT, 0.5).withPerStepDecay(true);
        return new TrainDefaults(caps.hasDevice() ? GPU_CHANNELS : CPU_CHANNELS, REDUCTIONS, t);
    }
}
