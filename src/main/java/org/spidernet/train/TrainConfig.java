package org.spidernet.train;

/**
 * Everything that shapes a training run. The defaults are SpiderNet's search-iteration settings
 * (spidernet.md, "Training settings"): SGD with momentum 0.9, weight decay 3e-4, learning rate
 * cosine-decayed to 0 and stepped per epoch, batch 64, drop-path 0.2, random crop with 4-pixel
 * padding, horizontal flip, Cutout 16 px with probability 0.5, gates clamped to +-0.05, and the
 * deletion rule over a 4-epoch window at 25%.
 *
 * <p>{@code perStepDecay} moves the cosine along every step instead of once per epoch; SpiderNet
 * steps per epoch, but a run of one or two epochs only anneals at all with per-step decay.
 */
public record TrainConfig(int epochs, int batch, double learningRate, double momentum, double weightDecay,
                          double dropPath, int cropPadding, boolean flip, int cutout, double cutoutProb,
                          double gateClamp, boolean pruning, int pruneWindow, double pruneThreshold,
                          int validation, long seed, boolean perStepDecay) {

    public TrainConfig {
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(batch >= 2, "batch must be >= 2 (BatchNorm needs two samples), got " + batch);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(dropPath >= 0 && dropPath < 1, "drop-path probability must be in [0, 1), got " + dropPath);
        require(cropPadding >= 0, "crop padding must be >= 0, got " + cropPadding);
        require(cutout >= 0, "cutout size must be >= 0, got " + cutout);
        require(cutoutProb >= 0 && cutoutProb <= 1, "cutout probability must be in [0, 1], got " + cutoutProb);
        require(gateClamp > 0, "gate clamp must be > 0, got " + gateClamp);
        require(pruneWindow >= 1, "prune window must be >= 1 epoch, got " + pruneWindow);
        require(pruneThreshold >= 0 && pruneThreshold <= 1, "prune threshold must be in [0, 1], got " + pruneThreshold);
        require(validation >= 0, "validation size must be >= 0, got " + validation);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** SpiderNet's settings for one search iteration (4 epochs, lr 0.01). */
    public static TrainConfig spiderNetDefaults(long seed) {
        return new TrainConfig(4, 64, 0.01, 0.9, 3e-4, 0.2, 4, true, 16, 0.5, 0.05, true, 4, 0.25, 640, seed, false);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batch, learningRate, momentum, weightDecay, dropPath, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, validation, seed, perStepDecay);
    }

    public TrainConfig withBatch(int b) {
        return new TrainConfig(epochs, b, learningRate, momentum, weightDecay, dropPath, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, validation, seed, perStepDecay);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(epochs, batch, lr, momentum, weightDecay, dropPath, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, validation, seed, perStepDecay);
    }

    public TrainConfig withAugmentation(int padding, boolean doFlip, int cutoutSize, double cutoutP) {
        return new TrainConfig(epochs, batch, learningRate, momentum, weightDecay, dropPath, padding, doFlip, cutoutSize,
                cutoutP, gateClamp, pruning, pruneWindow, pruneThreshold, validation, seed, perStepDecay);
    }

    public TrainConfig withDropPath(double p) {
        return new TrainConfig(epochs, batch, learningRate, momentum, weightDecay, p, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, validation, seed, perStepDecay);
    }

    public TrainConfig withValidation(int v) {
        return new TrainConfig(epochs, batch, learningRate, momentum, weightDecay, dropPath, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, v, seed, perStepDecay);
    }

    public TrainConfig withPerStepDecay(boolean perStep) {
        return new TrainConfig(epochs, batch, learningRate, momentum, weightDecay, dropPath, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, validation, seed, perStep);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batch, learningRate, momentum, weightDecay, dropPath, cropPadding, flip, cutout,
                cutoutProb, gateClamp, pruning, pruneWindow, pruneThreshold, validation, s, perStepDecay);
    }
}
