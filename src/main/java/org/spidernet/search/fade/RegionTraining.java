package org.spidernet.search.fade;

import org.spidernet.backend.Backend;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.ChannelStats;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.search.BilevelSettings;
import org.spidernet.train.ArchitectureAdam;
import org.spidernet.train.BilevelStep;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Trains one region's supernet DARTS-style (the weights by SGD on one half of the training split,
 * the alphas by Adam on the other, a step of each per minibatch: {@link BilevelStep}) from
 * scratch for the given epochs, and reads its ranks. Seeded, so a region retrained after a kill
 * ends exactly as it did the first time. Shared by the search and the rank check, so it takes
 * its data and backend, not a search's context.
 *
 * @param train      the training split (halved between weights and alphas) and its statistics
 * @param validation where each epoch's supernet accuracy is measured
 * @param base       the training settings (batch, learning rate); epochs and seed are per call
 * @param budget     planned training peak a region may take, bytes
 */
public record RegionTraining(Backend backend, ImageDataset train, ChannelStats stats, ImageDataset validation,
                             TrainConfig base, long budget) {
    /** What training the region cost beside its result. */
    public record Trained(RegionResult result, long params, long plannedPeakBytes, long measuredPeakBytes) {
    }

    /** The planned training peak of {@code region}'s supernet, refused with advice over {@code budget}. */
    public static long requireFits(ExecutionPlan plan, FadeRegion region, BilevelSettings bilevel, long budget) {
        long peak = BilevelStep.plannedPeak(plan, bilevel.secondOrder());
        if (peak > budget) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a FaDE region (%d stages x %d candidate cells, C=%d, batch %d) plans a training peak of %.1f MiB, over the "
                            + "memory budget of %.1f MiB (--memory); lower --batch, --channels or --option cells",
                    region.skeleton().size(), region.width(), region.skeleton().stage(0).channels(), plan.batchSize(),
                    peak / 1048576.0, budget / 1048576.0));
        }
        return peak;
    }

    /** Trains {@code region} for {@code epochs}; {@code progress} gives each epoch's listener. */
    public Trained train(FadeRegion region, BilevelSettings bilevel, int epochs, long weightSeed, long archSeed,
                         IntFunction<TrainingListener> progress) {
        TrainConfig tc = base.withEpochs(epochs).withSeed(weightSeed);
        ExecutionPlan plan = ExecutionPlan.compile(region.lower(), tc.batch(), backend.bytesPerElement(), PlanOptions.TRAINING);
        long planned = requireFits(plan, region, bilevel, budget);
        HoldoutSplit halves = HoldoutSplit.lastN(train, train.count() / 2);
        long before = backend.memory().bytesInUse();
        backend.resetPeak();
        try (Network net = Network.bind(plan, backend);
             BilevelStep step = new BilevelStep(net, halves.validation(), halves.train(), stats,
                     new ArchitectureAdam(net.alphas().length, bilevel.archLr(), ArchitectureAdam.DEFAULT_BETA1,
                             ArchitectureAdam.DEFAULT_BETA2, bilevel.archDecay()),
                     tc, archSeed, bilevel.secondOrder(), BilevelStep.DARTS_HESSIAN_STEP)) {
            Trainer trainer = new Trainer(net, tc, halves.train(), stats);
            net.initialize(tc.seed(), InitScheme.FAN_IN);
            trainer.withArchitectureStep(step);
            EpochMetrics last = null;
            for (int e = 0; e < epochs; e++) {
                net.setGumbelTemperature(bilevel.tau(e, epochs));
                List<EpochMetrics> h = trainer.runEpochs(e, e + 1, validation, progress.apply(epochs));
                last = h.get(h.size() - 1);
            }
            int width = region.width();
            int from = plan.alphaOffset(0);
            double[] alphas = java.util.Arrays.copyOfRange(net.alphas(), from, from + region.skeleton().size() * width);
            RegionResult result = new RegionResult(region, RegionResult.logSoftmax(alphas, region.skeleton().size(), width),
                    last.validationAccuracy());
            return new Trained(result, plan.parameterCount(), planned, backend.memory().peakBytes() - before);
        }
    }
}
