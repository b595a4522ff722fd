package org.spidernet.search.correlate;

import org.spidernet.graph.GenomeRanges;
import org.spidernet.metrics.JacobianCovariance;
import org.spidernet.metrics.TrainFreeMetric;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchDefaults;
import org.spidernet.stats.Bootstrap;
import org.spidernet.train.TrainDefaults;

/**
 * Everything that shapes a correlation study; saved in the run directory, so {@code --resume}
 * continues with exactly these. The CPU defaults are sized for K = 50 in 15-25 minutes on 2 cores:
 * each architecture is every metric on the untrained net, one epoch on 2,000 images and a test on
 * 2,000, measured at 15-50 s each on 2 cores shared with other builds (load about 7). Their range
 * checks live here, once.
 *
 * @param samples     K, the architectures sampled
 * @param maxSplits   the most edge splits a sample takes from the initial net (drawn uniformly
 *                    from 0..maxSplits; the default is what the default CPU search can grow: 3
 *                    rounds of one split per cell)
 * @param channels    C of the trained networks (the metrics use their own widths)
 * @param reductions  R
 * @param epochs      training epochs per architecture
 * @param trainImages the first N training images train every architecture
 * @param testImages  the first N test images measure its accuracy
 * @param batch       minibatch size
 * @param learningRate initial SGD learning rate (cosine-decayed to 0 per step)
 * @param seed        every random draw (sampling, initialisation, scoring data, shuffling, bootstrap)
 * @param resamples   bootstrap resamples per interval
 * @param scoring     data amounts of the NTK and linear-region scores (the search's CPU scale)
 * @param naswotBatch the batch of naswot (NASWOT v1): its reference's 128 costs one backward pass
 *                    per sample through the whole batch, about a minute per net on 2 cores, so the
 *                    CPU default is 32
 * @param dataset     dataset name
 * @param data        dataset directory, null for the default
 * @param backend     backend name as given
 */
public record CorrelateSettings(int samples, int maxSplits, int channels, int reductions, int epochs, int trainImages,
                                int testImages, int batch, double learningRate, long seed, int resamples,
                                ScoringScale scoring, int naswotBatch, String dataset, String data, String backend) {
    public static final int SAMPLES = 50;
    public static final int MAX_SPLITS = SearchDefaults.CPU_ITERATIONS * (SearchDefaults.REDUCTIONS + 1);
    public static final int CHANNELS = SearchDefaults.CPU_CHANNELS;
    public static final int EPOCHS = 1;
    public static final int TRAIN_IMAGES = 6000;
    public static final int TEST_IMAGES = 2000;
    public static final double LEARNING_RATE = SearchDefaults.CPU_LEARNING_RATE;
    public static final int NASWOT_BATCH = 32;

    public CorrelateSettings {
        require(samples >= 2, "--samples must be >= 2 (a correlation needs two architectures), got " + samples);
        require(maxSplits >= 0, "--max-splits must be >= 0, got " + maxSplits);
        GenomeRanges.checkChannels(channels);
        GenomeRanges.checkReductions(reductions);
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(batch >= 2, "--batch must be >= 2 (BatchNorm needs two samples), got " + batch);
        require(trainImages >= batch, "--train-images must be at least one batch (" + batch + "), got " + trainImages);
        require(testImages >= 1, "--test-images must be >= 1, got " + testImages);
        require(learningRate > 0 && Double.isFinite(learningRate), "--lr must be > 0, got " + learningRate);
        require(resamples >= Bootstrap.MIN_RESAMPLES,
                "--resamples must be >= " + Bootstrap.MIN_RESAMPLES + ", got " + resamples);
        require(scoring != null, "scoring scale missing");
        require(naswotBatch >= 2, "--naswot-batch must be >= 2 (two samples to correlate), got " + naswotBatch);
        require(dataset != null && backend != null, "dataset and backend must be named");
    }

    /** The defaults, on the given data and backend, with the machine's scoring scale ({@link SearchDefaults#forMachine}). */
    public static CorrelateSettings defaults(String dataset, String data, String backend, ScoringScale scoring) {
        return new CorrelateSettings(SAMPLES, MAX_SPLITS, CHANNELS, SearchDefaults.REDUCTIONS, EPOCHS, TRAIN_IMAGES,
                TEST_IMAGES, SearchDefaults.BATCH, LEARNING_RATE, TrainDefaults.SEED, Bootstrap.RESAMPLES,
                scoring, NASWOT_BATCH, dataset, data, backend);
    }

    /** The metric of that name at this study's settings. */
    public TrainFreeMetric metric(String name) {
        TrainFreeMetric m = scoring.metric(name);
        return m.name().equals(JacobianCovariance.NAME) ? new JacobianCovariance(0, naswotBatch) : m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
