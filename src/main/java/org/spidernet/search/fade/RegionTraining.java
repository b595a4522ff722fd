package org.spidernet.search.fade;

import org.spidernet.backend.Backend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.search.BilevelSettings;
import org.spidernet.search.SupernetTraining;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainingListener;

import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Trains one region's supernet ({@link SupernetTraining}: DARTS-style, from scratch, seeded) and
 * reads its ranks. Shared by the search and the rank check, so it takes its data and backend, not
 * a search's context.
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
        return SupernetTraining.requireFits(plan, bilevel, budget, what(region, plan.batchSize()), "--option cells");
    }

    private static String what(FadeRegion region, int batch) {
        return String.format(Locale.ROOT, "a FaDE region (%d stages x %d candidate cells, C=%d, batch %d)",
                region.skeleton().size(), region.width(), region.skeleton().stage(0).channels(), batch);
    }

    /** Trains {@code region} for {@code epochs}; {@code progress} gives each epoch's listener. */
    public Trained train(FadeRegion region, BilevelSettings bilevel, int epochs, long weightSeed, long archSeed,
                         IntFunction<TrainingListener> progress) {
        SupernetTraining.Trained t = new SupernetTraining(backend, train, stats, validation, base, budget).train(region.lower(),
                FadeRegion.ALPHAS, what(region, base.batch()), "--option cells", bilevel, epochs, weightSeed, archSeed, progress);
        int width = region.width();
        RegionResult result = new RegionResult(region, RegionResult.logSoftmax(t.alphas(), region.skeleton().size(), width),
                t.validationAccuracy());
        return new Trained(result, t.params(), t.plannedPeakBytes(), t.measuredPeakBytes());
    }
}
