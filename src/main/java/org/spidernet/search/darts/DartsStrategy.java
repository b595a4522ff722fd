package org.spidernet.search.darts;

import org.spidernet.backend.Backend;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.AlphaRecord;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.ChoiceSupernet;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.StrategyOption;
import org.spidernet.train.ArchitectureAdam;
import org.spidernet.train.BilevelStep;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DARTS (Liu, Simonyan, Yang 2019): train the supernet of {@link DartsLowering} with first-order
 * bilevel optimisation (the weights by SGD on one half of the training split, the alphas by Adam
 * on the other half, a step of each per minibatch), derive the genotype from the alphas, and hand
 * the derived network to the final training. One search iteration is one epoch of the supernet
 * in one cosine schedule over all of them ({@code --iterations} epochs); after every epoch the
 * alphas are reported (logged and plotted) and a snapshot (weights, momentum, alphas and their
 * Adam state, trainer state) is taken, so a killed search resumes to the identical genotype.
 *
 * <p>The supernet's planned training peak is checked against the memory budget before anything is
 * allocated; over it, the search is refused with the peak and the flags that would fit.
 *
 * <p>Pointed at another space ({@code search --space}) that is a finite chain of choices, DARTS
 * trains that space's supernet ({@link ChoiceSupernet}) by the same bilevel loop and hands the
 * network that takes each row's strongest choice (the first of equals) to the final training.
 */
public final class DartsStrategy implements SearchStrategy {
    public static final String NAME = "darts";
    // seed paths (the context's own are 1 and 4)
    private static final int WEIGHTS = 5;
    private static final int ARCH = 6;
    private static final String ADAM_M = "darts/adam.m";
    private static final String ADAM_V = "darts/adam.v";
    private static final String ADAM_STEPS = "darts/adam.steps";
    private static final String ALPHA_HISTORY = "darts/alphas/";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "DARTS: train a supernet of mixed ops with bilevel optimisation, keep the top-2 edges per node, retrain";
    }

    @Override
    public List<StrategyOption> options() {
        return DartsSettings.OPTIONS;
    }

    /**
     * DARTS's cells are narrow (C = 16 with 8 cells on a device, the paper's search network;
     * C = 8 with 5 cells on a CPU) and its weights train at lr 0.025; one iteration is one epoch.
     */
    @Override
    public SearchDefaults defaults(SearchDefaults m, boolean device) {
        return m.withSchedule(device ? 16 : SearchDefaults.CPU_CHANNELS, device ? 50 : m.iterations(), 1).withLearningRate(0.025);
    }

    /** The supernet, not SpiderNet's initial net, is what must fit ({@link SupernetFit}). */
    @Override
    public boolean startsFromInitial() {
        return false;
    }

    @Override
    public void validate(SearchConfig cfg) {
        DartsSettings.of(cfg);
        DartsSkeleton.checkChannels(cfg.channels());
    }

    @Override
    public boolean searchesOtherSpaces() {
        return true;
    }

    /** DARTS trains the space's supernet: a space without one (not a finite chain of choices) is refused. */
    @Override
    public void validateSpace(SampledSpace space, SearchConfig cfg) {
        if (space.supernet(DartsSettings.of(cfg).mixing()).isEmpty()) {
            throw new IllegalArgumentException("--space: " + space.description()
                    + " has no supernet (it is not a finite chain of choices), so DARTS cannot search it");
        }
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        if (ctx.sampledSpace().isPresent()) {
            return search(ctx, ctx.sampledSpace().get());
        }
        SearchConfig cfg = ctx.config();
        DartsSettings settings = DartsSettings.of(cfg);
        ImageDataset data = ctx.trainingData();
        InputSpec input = new InputSpec(data.channels(), data.height(), data.width(), data.numClasses());
        DartsSkeleton skeleton = new DartsSkeleton(input, cfg.channels(), settings.layers());
        DartsSupernet supernet = new DartsSupernet(skeleton, settings.mixing());
        SpaceNetwork network = new SpaceNetwork(DartsSupernetSpace.NAME, DartsNetworkJson.write(supernet));
        TrainConfig tc = weightTraining(ctx);
        ExecutionPlan plan = ExecutionPlan.compile(supernet.lower(), tc.batch(), ctx.backend().bytesPerElement(),
                PlanOptions.TRAINING);
        long planned = SupernetFit.require(plan, skeleton, settings.mixing(), settings.secondOrder(),
                ctx.memoryBudget().bytes());
        Searched done = bilevel(ctx, settings, tc, network, plan, planned, DartsSkeleton.EDGES * skeleton.layers(),
                DartsSkeleton.EDGES * skeleton.layers() * (DartsOp.values().length - 1));
        Genotype genotype = GenotypeDerivation.derive(done.alphas().get(DartsLowering.NORMAL),
                done.alphas().get(DartsLowering.REDUCE));
        SpaceNetwork found = new SpaceNetwork(DartsSpace.NAME, DartsNetworkJson.write(new DartsNetwork(skeleton, genotype)));
        return ctx.finish(done.history().size(), found, done.history(), null, Double.NaN, done.reason(),
                ctx.memoryBudget().bytes(), 0);
    }

    /**
     * DARTS over another space ({@code search --space}): the same bilevel training of the space's
     * supernet, then the network that takes each row's strongest choice (the first of equals).
     */
    private static SearchSnapshot search(SearchContext ctx, SampledSpace space) {
        DartsSettings settings = DartsSettings.of(ctx.config());
        ChoiceSupernet supernet = space.supernet(settings.mixing()).orElseThrow(() -> new IllegalStateException(
                "--space: " + space.description() + " has no supernet")); // validateSpace refused it before the run
        SpaceNetwork network = supernet.network();
        TrainConfig tc = weightTraining(ctx);
        ExecutionPlan plan = ExecutionPlan.compile(ArchitectureSpaces.lower(network), tc.batch(), ctx.backend().bytesPerElement(),
                PlanOptions.TRAINING);
        long budget = ctx.memoryBudget().bytes();
        long planned = BilevelStep.plannedPeak(plan, settings.secondOrder());
        if (planned > budget) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the supernet of %s plans a training peak of %.1f MiB at batch %d, over the memory budget of %.1f MiB "
                            + "(--memory); a smaller --batch%s or a larger --memory may fit",
                    space.description(), planned / 1048576.0, tc.batch(), budget / 1048576.0,
                    settings.secondOrder() ? ", a first-order search (--option order=1)" : ""));
        }
        AlphaGroup rows = plan.architecture().alphas().stream().filter(g -> g.name().equals(supernet.alphaGroup()))
                .findFirst().orElseThrow(() -> new IllegalStateException("the supernet of " + space.description()
                        + " has no alpha group '" + supernet.alphaGroup() + "'"));
        Searched done = bilevel(ctx, settings, tc, network, plan, planned, ArchitectureSpaces.count(network, "edges"),
                ArchitectureSpaces.count(network, "ops"));
        SpaceNetwork found = supernet.pick(strongest(done.alphas().get(rows.name()), rows.rows(), rows.width()));
        return ctx.finish(done.history().size(), found, done.history(), null, Double.NaN, done.reason(), budget, 0);
    }

    /** The weights' training of the search: one cosine schedule over all its epochs, from the weights' seed. */
    private static TrainConfig weightTraining(SearchContext ctx) {
        return ctx.config().train().withEpochs(Math.max(1, ctx.config().iterations())).withSeed(ctx.seed(WEIGHTS));
    }

    /** Each row's strongest choice, the first of equals. */
    static int[] strongest(double[] alphas, int rows, int width) {
        int[] picks = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 1; c < width; c++) {
                if (alphas[r * width + c] > alphas[r * width + picks[r]]) {
                    picks[r] = c;
                }
            }
        }
        return picks;
    }

    /** A finished bilevel training: its history, why it stopped, and every alpha group's final alphas by name. */
    private record Searched(List<IterationRecord> history, String reason, Map<String, double[]> alphas) {
    }

    /**
     * DARTS's search of {@code network} (planned as {@code plan}, whose bilevel peak is
     * {@code planned}): one epoch of bilevel steps per iteration, from the resumed snapshot when
     * there is one, reporting the alphas, the iteration ({@code edges} and {@code ops} are what
     * its records say the network has) and a snapshot after every epoch.
     */
    private static Searched bilevel(SearchContext ctx, DartsSettings settings, TrainConfig tc, SpaceNetwork network,
                                    ExecutionPlan plan, long planned, int edges, int ops) {
        int epochs = ctx.config().iterations();
        Backend backend = ctx.backend();
        long budget = ctx.memoryBudget().bytes();
        ImageDataset data = ctx.trainingData();
        // DARTS's split: the weights train on one half, the alphas on the other
        HoldoutSplit halves = HoldoutSplit.lastN(data, data.count() / 2);
        SearchSnapshot s = ctx.resumed().orElseGet(() -> new SearchSnapshot(SearchPhase.SEARCH_TRAINING, 0, network, 0,
                null, null, List.of(), null, Double.NaN, null, null, List.of(), budget, 0));
        List<IterationRecord> history = new ArrayList<>(s.history());
        String reason = "search epochs done (" + epochs + " epochs)";
        Map<String, double[]> alphas = new LinkedHashMap<>();
        long before = backend.memory().bytesInUse();
        backend.resetPeak();
        try (Network net = Network.bind(plan, backend);
             BilevelStep step = new BilevelStep(net, halves.validation(), halves.train(), ctx.channelStats(),
                     new ArchitectureAdam(net.alphas().length, settings.archLr(), ArchitectureAdam.DEFAULT_BETA1,
                             ArchitectureAdam.DEFAULT_BETA2, settings.archDecay()),
                     tc, ctx.seed(ARCH), settings.secondOrder(), BilevelStep.DARTS_HESSIAN_STEP)) {
            Trainer trainer = ctx.trainer(net, tc, halves.train(), s);
            ArchitectureAdam adam = step.optimizer();
            List<AlphaRecord> alphaHistory = new ArrayList<>();
            if (s.epochsCompleted() > 0) {
                adam.restore(new ArchitectureAdam.State(s.tensors().get(ADAM_M), s.tensors().get(ADAM_V),
                        (long) s.tensors().get(ADAM_STEPS)[0]));
                alphaHistory.addAll(alphaHistory(s.tensors(), plan, s.epochsCompleted()));
            }
            trainer.withArchitectureStep(step);
            for (int e = s.epochsCompleted(); e < epochs; e++) {
                long t0 = System.nanoTime();
                net.setGumbelTemperature(settings.tau(e, epochs));
                TrainingListener progress = ctx.observer().training(SearchPhase.SEARCH_TRAINING, e, epochs);
                List<EpochMetrics> h = trainer.runEpochs(e, e + 1, ctx.validationData(), progress);
                EpochMetrics m = h.get(h.size() - 1);
                List<AlphaRecord> latest = alphaRecords(net, plan, e);
                alphaHistory.addAll(latest);
                ctx.observer().architectureWeights(latest, List.copyOf(alphaHistory));
                IterationRecord rec = new IterationRecord(e, edges, ops, plan.parameterCount(),
                        planned, backend.memory().peakBytes() - before, m.validationAccuracy(), 0, 0,
                        (System.nanoTime() - t0) / 1e9);
                history.add(rec);
                ctx.observer().iterationFinished(rec);
                Map<String, double[]> tensors = net.exportResumable();
                ArchitectureAdam.State a = adam.state();
                tensors.put(ADAM_M, a.m());
                tensors.put(ADAM_V, a.v());
                tensors.put(ADAM_STEPS, new double[]{a.steps()});
                for (AlphaRecord r : alphaHistory) {
                    tensors.put(ALPHA_HISTORY + r.iteration() + "/" + r.group(), flatten(r.weights()));
                }
                s = new SearchSnapshot(SearchPhase.SEARCH_TRAINING, e + 1, network, e + 1, tensors, trainer.state(), history,
                        null, Double.NaN, null, null, List.of(), budget, 0);
                ctx.observer().snapshot(s);
                Optional<String> stop = e + 1 < epochs ? ctx.stopAfter(e + 1) : Optional.empty();
                if (stop.isPresent()) {
                    reason = stop.get();
                    break;
                }
            }
            for (AlphaGroup g : plan.architecture().alphas()) {
                alphas.put(g.name(), group(net, plan, g.name()));
            }
        }
        return new Searched(history, reason, alphas);
    }

    /** The alphas of one group of the supernet, rows x choices row-major. */
    private static double[] group(Network net, ExecutionPlan plan, String name) {
        List<AlphaGroup> groups = plan.architecture().alphas();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).name().equals(name)) {
                int from = plan.alphaOffset(g);
                return java.util.Arrays.copyOfRange(net.alphas(), from, from + groups.get(g).size());
            }
        }
        throw new IllegalStateException("the supernet has no alpha group '" + name + "'");
    }

    /** Every group's softmax weights after iteration {@code iteration}. */
    private static List<AlphaRecord> alphaRecords(Network net, ExecutionPlan plan, int iteration) {
        List<AlphaRecord> out = new ArrayList<>();
        for (AlphaGroup g : plan.architecture().alphas()) {
            double[] a = group(net, plan, g.name());
            double[][] rows = new double[g.rows()][];
            for (int r = 0; r < g.rows(); r++) {
                rows[r] = AlphaGroup.softmax(a, r * g.width(), g.width());
            }
            out.add(new AlphaRecord(iteration, g.name(), g.choices(), rows));
        }
        return out;
    }

    /** The alpha records of iterations 0 .. iterations-1 a snapshot carries. */
    private static List<AlphaRecord> alphaHistory(Map<String, double[]> tensors, ExecutionPlan plan, int iterations) {
        List<AlphaRecord> out = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            for (AlphaGroup g : plan.architecture().alphas()) {
                double[] flat = tensors.get(ALPHA_HISTORY + i + "/" + g.name());
                if (flat == null) {
                    throw new IllegalArgumentException("the search snapshot lacks the alphas of iteration " + i + " ("
                            + ALPHA_HISTORY + i + "/" + g.name() + ")");
                }
                double[][] rows = new double[g.rows()][];
                for (int r = 0; r < g.rows(); r++) {
                    rows[r] = java.util.Arrays.copyOfRange(flat, r * g.width(), (r + 1) * g.width());
                }
                out.add(new AlphaRecord(i, g.name(), g.choices(), rows));
            }
        }
        return out;
    }

    private static double[] flatten(double[][] rows) {
        int w = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * w];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * w, w);
        }
        return flat;
    }
}
