package org.spidernet.search.fade;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.RunJobs;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchLimits;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.StrategyOption;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * FaDE (Neumeyer, Stier, Granitzer 2024): finite-region differentiable ranks over a chain of
 * stages whose cells come from the library of small DAGs, moved by a memory-less, batch-wise
 * evolutionary search with a pseudo-gradient step.
 *
 * <p>A generation (one search iteration) draws a batch of regions around the centre
 * ({@link RegionSampler}: the centre's cell plus N-1 cells near the parents at every stage),
 * trains each region's supernet DARTS-style for {@code --epochs-per-iteration} epochs
 * ({@link RegionTraining}), reads each region's ranks from its architecture weights, and steps
 * ({@link PseudoGradientStep}): the centre moves to the best-ranked challengers, whose
 * neighbourhoods the next generation draws from. The centre after the last generation is the
 * found network. The first centre is a cell per stage drawn uniformly from the library.
 *
 * <p>Given a service that runs jobs side by side ({@link SearchContext#parallelJobs()}), a
 * generation's regions still to train, which depend only on its centre, parents and seeds, go out
 * in batches of the service's width as {@link TrainRegionJob}s and are taken in region order, each
 * recorded (snapshot, regions.json) as the one-by-one loop records it, so the search ends the same.
 *
 * <p>A snapshot follows every trained region (the centre, the parents, every region's ranks); a
 * region cut off by a kill is retrained from the start with its own seeds, so a resumed search
 * ends exactly as an uninterrupted one. {@code regions.json} in the run directory lists every
 * region visited: its cells, weights, supernet accuracy, its best architectures by rank, and the
 * step that followed its generation. The image budget counts every region's epochs
 * ({@link #imagesSeen}) and, like the wall-time limit, is checked between generations.
 */
public final class FadeStrategy implements SearchStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(FadeStrategy.class);
    public static final String NAME = "fade";
    public static final String REGIONS_FILE = "regions.json";
    /** Architectures of each region listed in regions.json, best first. */
    static final int LISTED = 5;
    // seed paths (the context's own are 1 and 4, DARTS's 5 and 6)
    private static final int START = 7;
    private static final int SAMPLE = 8;
    private static final int WEIGHTS = 9;
    private static final int ARCH = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "FaDE: rank architectures inside finite regions of a DAG-cell chain by supernet weights, move the region by "
                + "a pseudo-gradient evolutionary step";
    }

    @Override
    public List<StrategyOption> options() {
        return FadeSettings.OPTIONS;
    }

    /**
     * On a CPU: 4 generations of 3 regions, each region one epoch on the default 12,000 images at
     * C = 4 (about a minute each on 2 cores); on a device 20 generations of 4 regions of 5 epochs
     * at C = 16. One iteration is one generation.
     */
    @Override
    public SearchDefaults defaults(SearchDefaults m, boolean device) {
        return m.withSchedule(device ? 16 : 4, device ? 20 : 4, device ? 5 : 1);
    }

    /** A generation trains its whole batch of regions. */
    @Override
    public long imagesSeen(SearchConfig cfg, int iterations, int trainImages) {
        return SearchLimits.imagesSeen(iterations, cfg.train().epochs(), trainImages) * FadeSettings.of(cfg).regions();
    }

    /** FaDE trains regions, not SpiderNet's initial net: each region checks its own fit. */
    @Override
    public boolean startsFromInitial() {
        return false;
    }

    @Override
    public void validate(SearchConfig cfg) {
        FadeSettings s = FadeSettings.of(cfg);
        FadeSkeleton.of(InputSpec.FASHION_MNIST, s.stages(), cfg.channels(), cfg.reductions());
        RegionSampler.requireRoom(s.candidates(), s.library());
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        SearchConfig cfg = ctx.config();
        FadeSettings settings = FadeSettings.of(cfg);
        DagLibrary library = settings.library();
        ImageDataset data = ctx.trainingData();
        InputSpec input = new InputSpec(data.channels(), data.height(), data.width(), data.numClasses());
        FadeSkeleton skeleton = FadeSkeleton.of(input, settings.stages(), cfg.channels(), cfg.reductions());
        int epochs = cfg.train().epochs();
        long budget = ctx.memoryBudget().bytes();

        RegionTraining training = new RegionTraining(ctx.backend(), data, ctx.channelStats(), ctx.validationData(), cfg.train(),
                budget);
        FadeState state;
        int generation;
        List<IterationRecord> history;
        Optional<SearchSnapshot> resumed = ctx.resumed();
        if (resumed.isPresent()) {
            state = FadeState.fromTensors(resumed.get().tensors(), library, skeleton, settings);
            generation = resumed.get().iteration();
            history = new ArrayList<>(resumed.get().history());
            ctx.observer().strategyRecord(REGIONS_FILE, RegionsRecord.of(state, settings, generation));
        } else {
            List<Dag> centre = RegionSampler.randomCentre(skeleton.size(), library, new Random(ctx.seed(START)));
            state = new FadeState(centre, centre.stream().map(List::of).toList(), List.of());
            generation = 0;
            history = new ArrayList<>();
        }
        String reason;
        while (true) {
            // checked where a generation starts, so a run resumed from the snapshot after a step stops where it would have
            if (generation > 0 && state.batch(generation).isEmpty()) {
                Optional<String> stop = ctx.stopAfter(generation);
                if (stop.isPresent()) {
                    reason = stop.get();
                    break;
                }
            }
            long t0 = System.nanoTime();
            int done = state.batch(generation).size();
            // the centre and parents hold still through a generation, so its regions can all be drawn before any trains
            List<FadeRegion> regions = new ArrayList<>();
            for (int r = done; r < settings.regions(); r++) {
                regions.add(RegionSampler.sample(skeleton, state.centre(), state.parents(), settings.candidates(),
                        settings.radius(), library, settings.bilevel().mixing(), ctx.seed(SAMPLE, generation, r)));
            }
            Optional<RunJobs> jobs = ctx.parallelJobs();
            List<JobOutcome> outcomes = List.of();
            for (int r = done; r < settings.regions(); r++) {
                FadeRegion region = regions.get(r - done);
                int g = generation;
                RegionTraining.Trained t;
                if (jobs.isPresent()) {
                    int width = jobs.get().service().parallelism();
                    if ((r - done) % width == 0) {
                        outcomes = trainSideBySide(ctx, generation, r, regions.subList(r - done,
                                Math.min(regions.size(), r - done + width)), training, settings, epochs, jobs.get());
                    }
                    t = TrainRegionJob.trained(region, outcomes.get((r - done) % width));
                } else {
                    t = training.train(region, settings.bilevel(), epochs, weightSeed(ctx, generation, r),
                            archSeed(ctx, generation, r), n -> ctx.observer().training(SearchPhase.SEARCH_TRAINING, g, n));
                }
                state = state.withRegion(new FadeState.TrainedRegion(generation, r, t));
                RegionResult.Ranked best = t.result().top(1).get(0);
                LOG.info(String.format(Locale.ROOT, "generation %d, region %d/%d: supernet val acc %.4f, its best network %s "
                                + "(log score %.3f)", generation, r + 1, settings.regions(), t.result().validationAccuracy(),
                        region.architecture(best.picks()).cells().stream().map(Dag::code).toList(), best.score()));
                ctx.observer().snapshot(snapshot(generation, skeleton, state, library, history, budget));
                ctx.observer().strategyRecord(REGIONS_FILE, RegionsRecord.of(state, settings, generation));
            }
            List<RegionResult> batch = state.batch(generation);
            PseudoGradientStep.Outcome step = PseudoGradientStep.apply(state.centre(), batch, settings.aggregation(),
                    settings.margin(), settings.parents());
            state = state.stepped(step.centre(), step.parents());
            history.add(record(ctx, generation, state, skeleton, t0));
            ctx.observer().iterationFinished(history.get(history.size() - 1));
            ctx.observer().strategyRecord(REGIONS_FILE, RegionsRecord.of(state, settings, generation + 1));
            generation++;
            ctx.observer().snapshot(snapshot(generation, skeleton, state, library, history, budget));
        }
        return ctx.finish(history.size(), centreNetwork(skeleton, state), history, null, Double.NaN, reason, budget, 0);
    }

    /**
     * {@code batch}, regions {@code first} on of {@code generation}, trained side by side as
     * train-region jobs with the seeds the in-process loop gives them; outcomes in region order.
     */
    private static List<JobOutcome> trainSideBySide(SearchContext ctx, int generation, int first, List<FadeRegion> batch,
                                                    RegionTraining training, FadeSettings settings, int epochs, RunJobs jobs) {
        List<Job> out = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            int r = first + k;
            out.add(TrainRegionJob.job(batch.get(k), training, settings.bilevel(), epochs, weightSeed(ctx, generation, r),
                    archSeed(ctx, generation, r), jobs));
        }
        LOG.info("generation {}: regions {} to {} trained side by side on {}", generation, first + 1, first + batch.size(),
                jobs.service().description());
        return jobs.service().run(out);
    }

    /** The seed of region {@code r}'s supernet weights: its own, so a region retrained after a kill ends the same. */
    private static long weightSeed(SearchContext ctx, int generation, int r) {
        return ctx.seed(WEIGHTS, generation, r);
    }

    /** The seed of region {@code r}'s architecture steps (Gumbel draws). */
    private static long archSeed(SearchContext ctx, int generation, int r) {
        return ctx.seed(ARCH, generation, r);
    }

    private static SpaceNetwork centreNetwork(FadeSkeleton skeleton, FadeState state) {
        return new SpaceNetwork(FadeSpace.NAME, FadeJson.write(new FadeNetwork(skeleton, state.centre())));
    }

    private static SearchSnapshot snapshot(int generation, FadeSkeleton skeleton, FadeState state, DagLibrary library,
                                           List<IterationRecord> history, long budget) {
        return new SearchSnapshot(SearchPhase.SEARCH_TRAINING, generation, centreNetwork(skeleton, state), 0,
                state.toTensors(library), null, history, null, Double.NaN, null, null, List.of(), budget, 0);
    }

    /**
     * The generation as the outputs report it: the new centre's conv edges and parameters, the
     * batch's largest planned and measured peaks (the regions are what trained), and the best
     * supernet validation accuracy of the batch.
     */
    private static IterationRecord record(SearchContext ctx, int generation, FadeState state, FadeSkeleton skeleton, long t0) {
        FadeNetwork centre = new FadeNetwork(skeleton, state.centre());
        ExecutionPlan plan = ExecutionPlan.compile(centre.lower(), ctx.config().train().batch(), ctx.backend().bytesPerElement(),
                PlanOptions.TRAINING);
        int edges = state.centre().stream().mapToInt(Dag::edgeCount).sum();
        long planned = 0;
        long measured = 0;
        double best = 0;
        for (FadeState.TrainedRegion r : state.regions()) {
            if (r.generation() == generation) {
                planned = Math.max(planned, r.trained().plannedPeakBytes());
                measured = Math.max(measured, r.trained().measuredPeakBytes());
                best = Math.max(best, r.trained().result().validationAccuracy());
            }
        }
        return new IterationRecord(generation, edges, edges, plan.parameterCount(), planned, measured, best, 0, 0,
                (System.nanoTime() - t0) / 1e9);
    }
}
