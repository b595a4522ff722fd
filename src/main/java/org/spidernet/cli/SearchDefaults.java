package org.spidernet.cli;

import org.spidernet.backend.BackendProvider;
import org.spidernet.search.ScoringScale;

import java.lang.management.ManagementFactory;

/**
 * Defaults of a search by machine class. On a GPU they are SpiderNet's; on a CPU they are scaled
 * so that the default search on Fashion-MNIST finishes on 2 cores in about half an hour.
 */
record SearchDefaults(int channels, int iterations, int epochsPerIteration, int finalEpochs, int inits,
                      Integer limitTrain, double learningRate, ScoringScale scoring) {
    static final int CPU_CHANNELS = 8;
    static final int CPU_ITERATIONS = 3;
    static final int CPU_EPOCHS = 1;
    static final int CPU_FINAL_EPOCHS = 1;
    static final int CPU_INITS = 2;
    static final int CPU_LIMIT_TRAIN = 12000;

    static final SearchDefaults CPU = new SearchDefaults(CPU_CHANNELS, CPU_ITERATIONS, CPU_EPOCHS, CPU_FINAL_EPOCHS,
            CPU_INITS, CPU_LIMIT_TRAIN, 0.05, new ScoringScale(1, 32, 1, 500));
    static final SearchDefaults GPU = new SearchDefaults(64, 30, 4, 600, 3, null, 0.01, ScoringScale.SPIDERNET);

    /** Without --memory: a quarter of the machine's physical memory (the CPU backends keep tensors off-heap). */
    static long defaultBudget(BackendProvider provider) {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / 4;
        }
        return 4L << 30;
    }
}
