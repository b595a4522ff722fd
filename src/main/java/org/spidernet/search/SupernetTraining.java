package org.spidernet.search;

import org.spidernet.backend.Backend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.train.ArchitectureAdam;
import org.spidernet.train.BilevelStep;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Trains a supernet whose one alpha group mixes a chain of choices (FaDE's regions, AutoSpace's
 * layer mixes) DARTS-style from scratch for the given epochs: the weights by SGD on one half of
 * the training split, the alphas by Adam on the other, a step of each per minibatch
 * ({@link BilevelStep}); returns the group's alphas. Seeded, so a supernet retrained after a kill
 * ends exactly as it did the first time. Takes its data and backend, not a search's context, so
 * studies outside a search (FaDE's rank check) use it too.
 *
 * @param train      the training split (halved between weights and alphas) and its statistics
 * @param validation where each epoch's supernet accuracy is measured (null: not measured)
 * @param base       the training settings (batch, learning rate); epochs and seed are per call
 * @param budget     planned training peak a supernet may take, bytes
 */
public record SupernetTraining(Backend backend, ImageDataset train, ChannelStats stats, ImageDataset validation,
                               TrainConfig base, long budget) {

    /**
     * The trained supernet's alphas of its group (rows x width, row-major), its last validation
     * accuracy (NaN without validation data) and what training it cost.
     */
    public record Trained(double[] alphas, double validationAccuracy, long params, long plannedPeakBytes,
                          long measuredPeakBytes) {
        public Trained {
            alphas = alphas.clone();
        }

        @Override
        public double[] alphas() {
            return alphas.clone();
        }
    }

    /**
     * The planned training peak of {@code plan}; over {@code budget}, an
     * {@link IllegalArgumentException} "{@code what} plans a training peak of ..., over the memory
     * budget ...; lower --batch, --channels or {@code advice}".
     */
    public static long requireFits(ExecutionPlan plan, BilevelSettings bilevel, long budget, String what, String advice) {
        long peak = BilevelStep.plannedPeak(plan, bilevel.secondOrder());
        if (peak > budget) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s plans a training peak of %.1f MiB, over the memory budget of %.1f MiB (--memory); lower --batch, "
                            + "--channels or %s", what, peak / 1048576.0, budget / 1048576.0, advice));
        }
        return peak;
    }

    /**
     * Trains {@code supernet} for {@code epochs} and returns the alphas of its group named
     * {@code group}; {@code what} and {@code advice} word the refusal of a supernet over budget
     * ({@link #requireFits}); {@code progress} gives each epoch's listener.
     */
    public Trained train(Architecture supernet, String group, String what, String advice, BilevelSettings bilevel, int epochs,
                         long weightSeed, long archSeed, IntFunction<TrainingListener> progress) {
        TrainConfig tc = base.withEpochs(epochs).withSeed(weightSeed);
        ExecutionPlan plan = ExecutionPlan.compile(supernet, tc.batch(), backend.bytesPerElement(), PlanOptions.TRAINING);
        long planned = requireFits(plan, bilevel, budget, what, advice);
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
            double[] alphas = groupAlphas(net, plan, group);
            return new Trained(alphas, last == null ? Double.NaN : last.validationAccuracy(), plan.parameterCount(), planned,
                    backend.memory().peakBytes() - before);
        }
    }

    /** The alphas of the group named {@code name}, rows x width row-major. */
    private static double[] groupAlphas(Network net, ExecutionPlan plan, String name) {
        List<AlphaGroup> groups = plan.architecture().alphas();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).name().equals(name)) {
                int from = plan.alphaOffset(g);
                return Arrays.copyOfRange(net.alphas(), from, from + groups.get(g).size());
            }
        }
        throw new IllegalStateException("the supernet has no alpha group '" + name + "'");
    }
}
