package org.spidernet.cli;

import org.spidernet.backend.BackendProvider;
import org.spidernet.search.ScoringScale;

import java.lang.management.ManagementFactory;

/**
 * Defaults of a search by machine class. On a GPU they are SpiderNet's; on a CPU they are scaled
 * so that the default search on Fashion-MNIST finishes on 2 cores in well under half an hour.
 *
 * <p>On a CPU every training phase is one epoch on 12,000 images, so SpiderNet's regularisation
 * (drop-path 0.2, crop, Cutout) only costs accuracy there, and a cosine stepped once per epoch
 * would hold the learning rate constant: the CPU defaults train like {@code train} does (flips
 * only, no drop-path, per-step decay). The NTK is scored on one batch of 16: its cost grows with
 * the square of the batch (one backward pass per sample, through the whole batch), and at 32 it
 * took two thirds of a default search's half hour.
 */
record SearchDefaults(int channels, int iterations, int epochsPerIteration, int finalEpochs, int inits,
                      Integer limitTrain, double learningRate, ScoringScale scoring, double dropPath, int crop,
                      int cutout, boolean perStepDecay) {
    static final int CPU_CHANNELS = 8;
    static final int CPU_ITERATIONS = 3;
    static final int CPU_EPOCHS = 1;
    static final int CPU_FINAL_EPOCHS = 1;
    static final int CPU_INITS = 2;
    static final int CPU_LIMIT_TRAIN = 12000;

    static final SearchDefaults CPU = new SearchDefaults(CPU_CHANNELS, CPU_ITERATIONS, CPU_EPOCHS, CPU_FINAL_EPOCHS,
            CPU_INITS, CPU_LIMIT_TRAIN, 0.05, new ScoringScale(1, 16, 1, 500), 0.0, 0, 0, true);
    static final SearchDefaults GPU = new SearchDefaults(64, 30, 4, 600, 3, null, 0.01, ScoringScale.SPIDERNET,
            0.2, 4, 16, false);

    /** Share of a device's free memory the default budget takes: the CUDA context, its pool's
     *  rounding and the scoring networks live beside the planned training buffers. */
    static final double DEVICE_BUDGET_SHARE = 0.95;

    /**
     * Without --memory: on a device, 95% of its free memory (SpiderNet's hardware awareness);
     * otherwise a quarter of the machine's physical memory (the CPU backends keep tensors off-heap).
     */
    static long defaultBudget(BackendProvider provider) {
        java.util.OptionalLong free = provider.deviceFreeMemoryBytes();
        if (free.isPresent() && free.getAsLong() > 0) {
            return (long) (free.getAsLong() * DEVICE_BUDGET_SHARE);
        }
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / 4;
        }
        return 4L << 30;
    }
}
