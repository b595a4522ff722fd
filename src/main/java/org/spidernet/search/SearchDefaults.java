package org.spidernet.search;

import org.spidernet.backend.BackendProvider;
import org.spidernet.train.TrainDefaults;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Defaults of a search, the machine-dependent ones by machine class. With a real device (see
 * {@link BackendProvider#capabilities()}) they are SpiderNet's; without one they are scaled so
 * that the default search on Fashion-MNIST finishes on 2 cores in well under half an hour. The
 * machine class is decided by capability, never by the backend's name: {@code cuda-emulated} runs
 * its "device" on the host's cores, reports no device memory, and so gets the CPU defaults.
 *
 * <p>On a CPU every training phase is one epoch on 12,000 images, so SpiderNet's regularisation
 * (drop-path 0.2, crop, Cutout) only costs accuracy there, and a cosine stepped once per epoch
 * would hold the learning rate constant: the CPU defaults train like {@code train} does (flips
 * only, no drop-path, per-step decay). The NTK is scored on one batch of 16: its cost grows with
 * the square of the batch (one backward pass per sample, through the whole batch), and at 32 it
 * took two thirds of a default search's half hour.
 */
public record SearchDefaults(int channels, int iterations, int epochsPerIteration, int finalEpochs, int inits,
                             Integer limitTrain, double learningRate, ScoringScale scoring, double dropPath, int crop,
                             int cutout, boolean perStepDecay) {
    // the same on every machine; a run's data, backend, R, validation split, batch and seed default
    // alike for train and search, so TrainDefaults owns them
    public static final String DATASET = TrainDefaults.DATASET;
    public static final String BACKEND = TrainDefaults.BACKEND;
    public static final int REDUCTIONS = TrainDefaults.REDUCTIONS;
    public static final int VALIDATION = TrainDefaults.VALIDATION;
    public static final int BATCH = TrainDefaults.BATCH;
    public static final int CANDIDATES = 3;
    public static final String STRATEGY = "spidernet";
    /** The search space every run explores; a configuration does not name one, so its JSON stays as it was. */
    public static final String SPACE = "spidernet";
    public static final long SEED = TrainDefaults.SEED;
    /**
     * SpiderNet's pair, with the NTK condition number taken over batch-centred outputs: in this
     * space the output node's BatchNorm makes a batch's summed logits independent of every weight,
     * so the plain Gram matrix is singular at initialisation (one null vector per batch).
     */
    public static final List<String> METRICS = List.of("ntk_centred", "lrc");

    // constants so the command line's help can name them
    public static final int CPU_CHANNELS = 8;
    public static final int CPU_ITERATIONS = 3;
    public static final int CPU_EPOCHS = 1;
    public static final int CPU_FINAL_EPOCHS = 1;
    public static final int CPU_INITS = 2;
    public static final int CPU_LIMIT_TRAIN = 12000;
    public static final double CPU_LEARNING_RATE = 0.05;

    public static final SearchDefaults CPU = new SearchDefaults(CPU_CHANNELS, CPU_ITERATIONS, CPU_EPOCHS,
            CPU_FINAL_EPOCHS, CPU_INITS, CPU_LIMIT_TRAIN, CPU_LEARNING_RATE, new ScoringScale(1, 16, 1, 500), 0.0, 0, 0, true);
    public static final SearchDefaults GPU = new SearchDefaults(64, 30, 4, 600, 3, null, 0.01, ScoringScale.SPIDERNET,
            0.2, 4, 16, false);

    /**
     * These defaults with a strategy's own network width and iteration schedule (what the
     * strategies that do not grow SpiderNet's net set for themselves, {@link SearchStrategy#defaults}).
     */
    public SearchDefaults withSchedule(int channels, int iterations, int epochsPerIteration) {
        return new SearchDefaults(channels, iterations, epochsPerIteration, finalEpochs, inits, limitTrain, learningRate, scoring,
                dropPath, crop, cutout, perStepDecay);
    }

    public SearchDefaults withLearningRate(double rate) {
        return new SearchDefaults(channels, iterations, epochsPerIteration, finalEpochs, inits, limitTrain, rate, scoring,
                dropPath, crop, cutout, perStepDecay);
    }

    /** Share of a device's free memory the default budget takes: the CUDA context, its pool's
     *  rounding and the scoring networks live beside the planned training buffers. */
    public static final double DEVICE_BUDGET_SHARE = 0.95;

    /** The machine-dependent defaults for a backend of these capabilities. */
    public static SearchDefaults forMachine(BackendProvider.Capabilities caps) {
        return caps.hasDevice() ? GPU : CPU;
    }

    /**
     * The default memory budget: on a device, 95% of its free memory (SpiderNet's hardware
     * awareness); otherwise, or where a device reports none free, a quarter of the machine's
     * physical memory (the CPU backends keep tensors off-heap).
     */
    public static long memoryBudget(BackendProvider.Capabilities caps) {
        if (caps.hasDevice() && caps.deviceFreeMemoryBytes() > 0) {
            return (long) (caps.deviceFreeMemoryBytes() * DEVICE_BUDGET_SHARE);
        }
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / 4;
        }
        return 4L << 30;
    }
}
