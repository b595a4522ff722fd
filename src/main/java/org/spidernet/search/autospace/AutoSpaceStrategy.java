package org.spidernet.search.autospace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.SupernetTraining;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * AutoSpace (Zhou et al., ICCV 2021): evolve the search space itself. Every layer of a target
 * network ({@link TargetNetwork}) keeps a population of cells with a fitness and an age. A step
 * (one search iteration) picks K cells per layer: the layer's best (the reference, so the step
 * cannot fall back) and K-1 mutated tournament winners that respect the resource limits
 * ({@link MixSelection}, {@link NetworkLimits}); trains the supernet that mixes each layer's K
 * cells by softmax weights ({@link AutoMix}, {@link SupernetTraining}); and writes each cell's
 * mixing weight back as its fitness, a running average ({@link FitnessUpdate}), before the
 * populations age and lose their oldest members. After the last step the reference network is
 * the found network, and the top cells of every population form the learned space
 * ({@code learned-space.json}), which random search and DARTS search with {@code --space FILE}.
 *
 * <p>A snapshot follows every step (the populations and every step's record); a step cut off by a
 * kill runs again from its seeds, so a resumed search ends exactly as an uninterrupted one. The
 * image budget counts every step's supernet epochs; limits are checked between steps.
 */
public final class AutoSpaceStrategy implements SearchStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(AutoSpaceStrategy.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String NAME = "autospace";
    public static final String FITNESS_PLOT = "fitness.png";
    // seed paths (the context's own are 1 and 4, DARTS's 5 and 6, FaDE's 7 to 10)
    private static final int INITIAL = 11;
    private static final int SELECT = 12;
    private static final int WEIGHTS = 13;
    private static final int ARCH = 14;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AutoSpace: evolve a population of cells per layer by tournament and mutation, scored by supernet mixing "
                + "weights; writes the learned space for other strategies (--space)";
    }

    @Override
    public List<StrategyOption> options() {
        return AutoSpaceSettings.OPTIONS;
    }

    /**
     * On a CPU: 10 steps of one epoch at C = 8 (40 to 50 s each on 2 cores); on a device 30 steps of
     * 2 epochs at C = 16. One iteration is one step.
     */
    @Override
    public SearchDefaults defaults(SearchDefaults m, boolean device) {
        return m.withSchedule(device ? 16 : 8, device ? 30 : 10, device ? 2 : 1);
    }

    /** AutoSpace trains its own supernets, not SpiderNet's initial net: each step checks its own fit. */
    @Override
    public boolean startsFromInitial() {
        return false;
    }

    @Override
    public void validate(SearchConfig cfg) {
        AutoSpaceSettings s = AutoSpaceSettings.of(cfg);
        s.target(InputSpec.FASHION_MNIST, cfg);
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        SearchConfig cfg = ctx.config();
        AutoSpaceSettings settings = AutoSpaceSettings.of(cfg);
        ImageDataset data = ctx.trainingData();
        InputSpec input = new InputSpec(data.channels(), data.height(), data.width(), data.numClasses());
        TargetNetwork target = settings.target(input, cfg);
        long budget = ctx.memoryBudget().bytes();
        int k = settings.cells();
        NetworkLimits limits = new NetworkLimits(settings.maxMacs(), settings.maxParams(), budget, cfg.train().batch(),
                ctx.backend().bytesPerElement());
        SupernetTraining training = new SupernetTraining(ctx.backend(), data, ctx.channelStats(), ctx.validationData(),
                cfg.train(), budget);

        AutoSpaceState state;
        Optional<SearchSnapshot> resumed = ctx.resumed();
        if (resumed.isPresent()) {
            state = AutoSpaceState.fromTensors(resumed.get().tensors(), target.size(), k, resumed.get().iteration());
        } else {
            state = initial(target, settings, limits, ctx.seed(INITIAL));
        }
        List<IterationRecord> history = new ArrayList<>(resumed.map(SearchSnapshot::history).orElse(List.of()));
        if (resumed.isPresent()) {
            report(ctx, state, target, settings);
        }
        String reason;
        while (true) {
            int step = state.steps().size();
            Optional<String> stop = ctx.stopAfter(step);
            if (stop.isPresent()) {
                reason = stop.get();
                break;
            }
            long t0 = System.nanoTime();
            List<AutoCell> reference = state.reference();
            Random r = new Random(ctx.seed(SELECT, step));
            List<List<AutoCell>> mixed = new ArrayList<>();
            for (int l = 0; l < target.size(); l++) {
                int layer = l;
                mixed.add(MixSelection.pick(state.populations().get(l), k, settings.tournament(), settings.opRate(),
                        c -> limits.fits(target, reference, layer, c), r));
            }
            AutoMix mix = new AutoMix(new CellChoices(target, mixed), settings.bilevel().mixing());
            String what = String.format(Locale.ROOT, "an AutoSpace step's supernet (%d layers x %d cells, C=%d, batch %d)",
                    target.size(), k, target.stemChannels(), cfg.train().batch());
            SupernetTraining.Trained t = training.train(mix.lower(), AutoMix.ALPHAS, what, "--option cells", settings.bilevel(),
                    cfg.train().epochs(), ctx.seed(WEIGHTS, step), ctx.seed(ARCH, step),
                    n -> ctx.observer().training(SearchPhase.SEARCH_TRAINING, step, n));
            List<double[]> weights = new ArrayList<>();
            List<LayerPopulation> next = new ArrayList<>();
            double[] alphas = t.alphas();
            for (int l = 0; l < target.size(); l++) {
                double[] w = AlphaGroup.softmax(alphas, l * k, k);
                weights.add(w);
                double[] values = new double[k];
                for (int i = 0; i < k; i++) {
                    values[i] = FitnessUpdate.value(w[i], k);
                }
                next.add(state.populations().get(l).aged().withEvaluated(mixed.get(l), values, settings.momentum())
                        .admit(settings.population()));
            }
            AutoSpaceState stepped = new AutoSpaceState(next, state.steps());
            double[] best = new double[target.size()];
            double[] space = new double[target.size()];
            LearnedSpace learned = stepped.learned(target, settings.spaceCells());
            for (int l = 0; l < target.size(); l++) {
                LayerPopulation p = next.get(l);
                best[l] = p.members().get(p.best()).fitness();
                space[l] = java.util.Arrays.stream(learned.fitness().get(l)).average().orElse(Double.NaN);
            }
            List<StepRecord> steps = new ArrayList<>(state.steps());
            steps.add(new StepRecord(step, mixed, weights, t.validationAccuracy(), t.params(), t.plannedPeakBytes(),
                    t.measuredPeakBytes(), best, space));
            state = new AutoSpaceState(next, steps);
            history.add(record(ctx, step, state, target, t, t0));
            LOG.info(String.format(Locale.ROOT, "step %d: supernet val acc %.4f, reference weights %s", step,
                    t.validationAccuracy(), weights.stream().map(w -> String.format(Locale.ROOT, "%.3f", w[0])).toList()));
            // the checkpoint before the step's files: a run killed before its first checkpoint must leave nothing
            // but what a new run in the same directory clears (io/OutputDirectory); a resumed one writes them again
            ctx.observer().snapshot(new SearchSnapshot(SearchPhase.SEARCH_TRAINING, step + 1, referenceNetwork(target, state), 0,
                    state.toTensors(), null, List.copyOf(history), null, Double.NaN, null, null, List.of(), budget, 0));
            ctx.observer().iterationFinished(history.get(history.size() - 1));
            report(ctx, state, target, settings);
        }
        if (state.steps().isEmpty()) {
            report(ctx, state, target, settings); // stopped before a step: the initial populations, as the run leaves them
        }
        return ctx.finish(state.steps().size(), referenceNetwork(target, state), history, null, Double.NaN, reason, budget, 0);
    }

    private static AutoSpaceState initial(TargetNetwork target, AutoSpaceSettings settings, NetworkLimits limits, long seed) {
        Random r = new Random(seed);
        List<LayerPopulation> pops = new ArrayList<>();
        for (int l = 0; l < target.size(); l++) {
            pops.add(LayerPopulation.initial(settings.population(), r));
        }
        AutoSpaceState s = new AutoSpaceState(pops, List.of());
        AutoNetwork ref = new AutoNetwork(target, s.reference());
        limits.violation(ref).ifPresent(v -> {
            throw new IllegalArgumentException("the first AutoSpace reference network takes " + v
                    + "; raise the limit or lower --channels");
        });
        return s;
    }

    private static SpaceNetwork referenceNetwork(TargetNetwork target, AutoSpaceState state) {
        return new SpaceNetwork(AutoSpaceSpace.NAME, AutoSpaceJson.write(new AutoNetwork(target, state.reference())));
    }

    /** The populations record, the learned space and the fitness plot, written whole. */
    private static void report(SearchContext ctx, AutoSpaceState state, TargetNetwork target, AutoSpaceSettings settings) {
        ctx.observer().strategyRecord(PopulationsRecord.FILE, PopulationsRecord.of(state));
        try {
            ctx.observer().strategyRecord(LearnedSpace.FILE,
                    MAPPER.readTree(AutoSpaceJson.write(state.learned(target, settings.spaceCells()))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read the learned space's JSON", e);
        }
        List<StepRecord> steps = state.steps();
        if (steps.isEmpty()) {
            return;
        }
        double[] x = new double[steps.size()];
        LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
        for (int l = 0; l < target.size(); l++) {
            double[] best = new double[steps.size()];
            double[] space = new double[steps.size()];
            for (int s = 0; s < steps.size(); s++) {
                x[s] = steps.get(s).step();
                best[s] = steps.get(s).bestFitness()[l];
                space[s] = steps.get(s).spaceFitness()[l];
            }
            series.put("layer " + l + " best", best);
            series.put("layer " + l + " learned-space mean", space);
        }
        ctx.observer().strategyPlot(FITNESS_PLOT, "Fitness per layer (" + settings.cells()
                + " x mixing weight; 1 = a uniform share)", "step", "fitness", x, series);
    }

    /**
     * The step as the outputs report it: the reference network's edges and parameters after it,
     * the supernet's planned and measured peaks, and the supernet's validation accuracy.
     */
    private static IterationRecord record(SearchContext ctx, int step, AutoSpaceState state, TargetNetwork target,
                                          SupernetTraining.Trained t, long t0) {
        AutoNetwork ref = new AutoNetwork(target, state.reference());
        ExecutionPlan plan = ExecutionPlan.compile(ref.lower(), ctx.config().train().batch(), ctx.backend().bytesPerElement(),
                PlanOptions.TRAINING);
        int edges = ref.cells().stream().mapToInt(c -> c.edges().size()).sum();
        return new IterationRecord(step, edges, edges, plan.parameterCount(), t.plannedPeakBytes(), t.measuredPeakBytes(),
                t.validationAccuracy(), 0, 0, (System.nanoTime() - t0) / 1e9);
    }
}
