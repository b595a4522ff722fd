package org.spidernet.search.fade;

import org.spidernet.search.SearchDefaults;
import org.spidernet.stats.Bootstrap;
import org.spidernet.train.TrainDefaults;

/**
 * Everything that shapes a region-rank check ({@code spidernet fade-ranks}); saved in its run
 * directory, so {@code --resume} continues with exactly these. The CPU defaults (a region of 3
 * stages x 3 cells = 27 architectures, each trained alone for one epoch on 6,000 images at C = 4)
 * take about 10 minutes on 2 cores. Range checks live here, once.
 *
 * @param stages       S
 * @param cells        N candidate cells per stage: the region holds N^S architectures
 * @param channels     C of the first stage
 * @param reductions   reducing stages (the last ones)
 * @param regionEpochs epochs the region's supernet trains (bilevel)
 * @param epochs       epochs each architecture trains alone
 * @param sample       architectures trained alone, drawn from the region (0: all of them)
 * @param trainImages  the first N training images train the region and every architecture
 * @param testImages   the first N test images measure each architecture's accuracy
 * @param batch        minibatch size
 * @param learningRate initial SGD learning rate (cosine-decayed to 0 per step)
 * @param archLr       Adam learning rate of the region's alphas
 * @param seed         every random draw (the region, initialisation, shuffling, bootstrap)
 * @param resamples    bootstrap resamples per interval
 * @param dataset      dataset name
 * @param data         dataset directory, null for the default
 * @param backend      backend name as given
 */
public record RankCheckSettings(int stages, int cells, int channels, int reductions, int regionEpochs, int epochs,
                                int sample, int trainImages, int testImages, int batch, double learningRate, double archLr,
                                long seed, int resamples, String dataset, String data, String backend) {
    public static final int STAGES = 3;
    public static final int CELLS = 3;
    public static final int CHANNELS = 4;
    public static final int REDUCTIONS = 2;
    public static final int EPOCHS = 1;
    public static final int TRAIN_IMAGES = 6000;
    public static final int TEST_IMAGES = 2000;
    /** The floor: a rank correlation over fewer architectures says little. */
    public static final int MIN_ARCHITECTURES = 8;

    public RankCheckSettings {
        FadeSkeleton.checkStages(stages, "--stages");
        FadeRegion.checkWidth(cells, "--cells");
        require(Math.pow(cells, stages) >= MIN_ARCHITECTURES, "--cells " + cells + " and --stages " + stages + " give a region of "
                + (long) Math.pow(cells, stages) + " architectures; the check needs at least " + MIN_ARCHITECTURES);
        require(channels >= 1, "--channels must be >= 1, got " + channels);
        FadeSkeleton.checkReductions(reductions, stages);
        require(regionEpochs >= 1, "--region-epochs must be >= 1, got " + regionEpochs);
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(sample == 0 || (sample >= MIN_ARCHITECTURES && sample <= Math.pow(cells, stages)), "--sample must be 0 (all) or in "
                + MIN_ARCHITECTURES + ".." + (long) Math.pow(cells, stages) + " (the region's architectures), got " + sample);
        require(batch >= 2, "--batch must be >= 2 (BatchNorm needs two samples), got " + batch);
        require(trainImages >= 4 * batch, "--train-images must be at least four batches (" + 4 * batch + "), got " + trainImages);
        require(testImages >= 1, "--test-images must be >= 1, got " + testImages);
        require(learningRate > 0 && Double.isFinite(learningRate), "--lr must be > 0, got " + learningRate);
        require(archLr > 0 && Double.isFinite(archLr), "--arch-lr must be > 0, got " + archLr);
        require(resamples >= Bootstrap.MIN_RESAMPLES, "--resamples must be >= " + Bootstrap.MIN_RESAMPLES + ", got " + resamples);
        require(dataset != null && backend != null, "dataset and backend must be named");
    }

    public static RankCheckSettings defaults(String dataset, String data, String backend) {
        return new RankCheckSettings(STAGES, CELLS, CHANNELS, REDUCTIONS, EPOCHS, EPOCHS, 0, TRAIN_IMAGES, TEST_IMAGES,
                SearchDefaults.BATCH, SearchDefaults.CPU_LEARNING_RATE, FadeSettings.CPU_ARCH_LR, TrainDefaults.SEED,
                Bootstrap.RESAMPLES, dataset, data, backend);
    }

    /** Architectures trained alone. */
    public int architectures() {
        return sample == 0 ? (int) Math.pow(cells, stages) : sample;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
