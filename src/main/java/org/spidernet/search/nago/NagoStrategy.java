package org.spidernet.search.nago;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.RunJobs;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.io.ScatterPlot;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.TrainNetworkJob;
import org.spidernet.search.TrainedSpaceNetwork;
import org.spidernet.search.bohb.Bracket;
import org.spidernet.search.bohb.Point;
import org.spidernet.search.bohb.Rung;
import org.spidernet.search.bohb.TpeSampler;
import org.spidernet.train.TrainConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * NAGO (Ru, Esperanca, Carlucci 2020) searched by BOHB: the eight numbers of a
 * {@link NagoGenerator} ({@link GeneratorParameters}) are the configuration, and a configuration
 * is scored at a budget of epochs by the mean validation accuracy of {@code samples} networks it
 * draws, each trained from scratch. One search iteration is one Hyperband bracket (s_max down to
 * 0, cycling); its rungs keep the best 1/eta by successive halving, and each new configuration is
 * proposed by BOHB's TPE from all observations so far (uniform until it can model them).
 *
 * <p>Every network trained at the largest budget also enters a second objective, its planned
 * training peak: the accuracy-memory front and its hypervolume ({@link MemoryFront}). The found
 * network is the best configuration's most accurate network ({@link BohbState#best}).
 *
 * <p>A snapshot follows every job (the {@link BohbState}); a job cut off by a kill runs again from
 * its seeds, so a resumed search ends exactly as an uninterrupted one. The image budget counts
 * every job's epochs; the limits are checked between brackets.
 */
public final class NagoStrategy implements SearchStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(NagoStrategy.class);
    public static final String NAME = "nago";
    public static final String BOHB_RECORD = "bohb.json";
    public static final String PARETO_RECORD = "pareto.json";
    public static final String PARETO_PLOT = "pareto.png";
    public static final String GENERATOR_RECORD = "generator.json";
    // seed paths (the context's own are 1 and 4, DARTS's 5 and 6, FaDE's 7 to 10, AutoSpace's 11 to 14)
    private static final int PROPOSE = 21;
    private static final int SAMPLE = 22;
    private static final int WEIGHTS = 23;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "NAGO: BOHB over the eight parameters of a hierarchical random-graph network generator; "
                + "writes the accuracy-memory front";
    }

    @Override
    public List<StrategyOption> options() {
        return NagoSettings.OPTIONS;
    }

    /**
     * Two brackets on a CPU (16 epochs of about 20k-parameter networks), one whole Hyperband
     * iteration (s_max + 1 = 3 brackets) on a device. Widths come from max-params and epochs
     * from min- and max-epochs, so the machine's channels and epochs per iteration are unused.
     */
    @Override
    public SearchDefaults defaults(SearchDefaults m, boolean device) {
        return m.withSchedule(m.channels(), device ? 3 : 2, m.epochsPerIteration());
    }

    /** NAGO trains the networks its generators draw, not SpiderNet's initial net. */
    @Override
    public boolean startsFromInitial() {
        return false;
    }

    @Override
    public void validate(SearchConfig cfg) {
        NagoSettings.of(cfg);
        // every decision is a validation accuracy: without a split there is nothing to promote on
        if (cfg.train().validation() <= 0) {
            throw new IllegalArgumentException("search --strategy nago needs a validation split: --validation must be > 0, got "
                    + cfg.train().validation());
        }
    }

    /** Every job's epochs over the training images, bracket by bracket. */
    @Override
    public long imagesSeen(SearchConfig cfg, int iterations, int trainImages) {
        NagoSettings s = NagoSettings.of(cfg);
        long epochs = 0;
        for (int b = 0; b < iterations; b++) {
            epochs += s.epochsOf(s.bracket(b));
        }
        return epochs * trainImages;
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        NagoSettings settings = NagoSettings.of(ctx.config());
        ImageDataset data = ctx.trainingData();
        InputSpec input = new InputSpec(data.channels(), data.height(), data.width(), data.numClasses());
        long budget = ctx.memoryBudget().bytes();
        Optional<SearchSnapshot> resumed = ctx.resumed();
        BohbState state = resumed.map(s -> BohbState.fromTensors(s.tensors())).orElse(BohbState.start());
        List<IterationRecord> history = new ArrayList<>(resumed.map(SearchSnapshot::history).orElse(List.of()));
        if (resumed.isPresent()) {
            report(ctx, state, settings, budget, input);
        }
        String reason;
        while (true) {
            if (state.bracketUnstarted()) {
                Optional<String> stop = ctx.stopAfter(state.brackets());
                if (stop.isPresent()) {
                    reason = stop.get();
                    break;
                }
            }
            Optional<NagoJob> next = state.next(settings);
            if (next.isEmpty()) {
                int b = state.brackets();
                state = state.withBracketFinished();
                history.add(record(ctx, state, b, settings, input));
                ctx.observer().snapshot(snapshot(state, network(ctx, state, settings, input), history, budget));
                ctx.observer().iterationFinished(history.get(history.size() - 1));
                report(ctx, state, settings, budget, input);
                List<NagoEvaluation> top = state.evaluations().stream().filter(x -> x.epochs() == settings.maxEpochs()).toList();
                LOG.info(String.format(Locale.ROOT, "bracket %d done: %d networks at %d epochs, %d on the accuracy-memory front, "
                        + "hypervolume %.4f", b, top.size(), settings.maxEpochs(), MemoryFront.of(top).size(),
                        MemoryFront.hypervolume(top, budget)));
                continue;
            }
            NagoJob job = next.get();
            if (job.proposes()) {
                state = state.withConfiguration(job.bracket(), propose(ctx, state, settings, job.bracket(), job.configuration()));
            }
            Optional<RunJobs> jobs = ctx.parallelJobs();
            List<NagoJob> batch = jobs.isPresent() ? state.nextIndependent(settings, jobs.get().service().parallelism())
                    : List.of(job);
            List<NagoNetwork> networks = new ArrayList<>();
            for (NagoJob j : batch) {
                networks.add(draw(ctx, state.configurations().get(j.configuration()), j.sample(), settings, input));
            }
            List<NagoEvaluation> done = batch.size() > 1 ? trainAll(ctx, batch, networks, budget, jobs.get())
                    : List.of(train(ctx, job, networks.get(0), budget));
            for (int k = 0; k < done.size(); k++) {
                NagoEvaluation e = done.get(k);
                LOG.info(String.format(Locale.ROOT, "bracket %d rung %d: configuration %d sample %d, %d epochs: val acc %.4f, "
                        + "%d params, planned peak %.1f MiB", e.bracket(), e.rung(), e.configuration(), e.sample(), e.epochs(),
                        e.accuracy(), e.params(), e.plannedPeakBytes() / 1048576.0));
                state = state.withEvaluation(e);
                // the checkpoint before the job's files: a run killed before its first checkpoint leaves only what a new run clears
                ctx.observer().snapshot(snapshot(state, network(networks.get(k)), history, budget));
                report(ctx, state, settings, budget, input);
            }
        }
        return ctx.finish(state.brackets(), network(ctx, state, settings, input), history, null,
                state.best(settings.samples()).map(BohbState.Scored::meanAccuracy).orElse(Double.NaN), reason, budget, 0);
    }

    /** BOHB's proposal for configuration {@code c} of bracket {@code bracket}, from every complete observation in {@code state}. */
    private static Point propose(SearchContext ctx, BohbState state, NagoSettings settings, int bracket, int c) {
        return TpeSampler.bohb(GeneratorParameters.SPACE.dimension())
                .proposeAcrossBudgets(state.observations(settings.samples()), new Random(ctx.seed(PROPOSE, bracket, c)));
    }

    private static SearchSnapshot snapshot(BohbState state, SpaceNetwork network, List<IterationRecord> history, long budget) {
        return new SearchSnapshot(SearchPhase.SEARCH_TRAINING, state.brackets(), network, 0, state.toTensors(), null,
                List.copyOf(history), null, Double.NaN, null, null, List.of(), budget, 0);
    }

    private NagoNetwork draw(SearchContext ctx, NagoConfiguration c, int sample, NagoSettings settings, InputSpec input) {
        return c.generator().sample(input, settings.maxParams(), new Random(ctx.seed(SAMPLE, c.index(), sample)));
    }

    /**
     * The found network: the best configuration's most accurate network, drawn again from its
     * seed; before any configuration is scored, the first configuration's first network (the
     * first proposal's, when none is proposed yet).
     */
    private SpaceNetwork network(SearchContext ctx, BohbState state, NagoSettings settings, InputSpec input) {
        Optional<BohbState.Scored> best = state.best(settings.samples());
        NagoNetwork n;
        if (best.isPresent()) {
            NagoEvaluation e = state.bestSample(best.get());
            n = draw(ctx, state.configurations().get(e.configuration()), e.sample(), settings, input);
        } else {
            NagoConfiguration c = state.configurations().isEmpty()
                    ? new NagoConfiguration(0, 0, propose(ctx, state, settings, 0, 0))
                    : state.configurations().get(0);
            n = draw(ctx, c, 0, settings, input);
        }
        return new SpaceNetwork(NagoSpace.NAME, NagoJson.write(n));
    }

    private static SpaceNetwork network(NagoNetwork n) {
        return new SpaceNetwork(NagoSpace.NAME, NagoJson.write(n));
    }

    /** A job's training settings: its epochs, and a seed of its configuration and sample. */
    private static TrainConfig training(SearchContext ctx, NagoJob job) {
        return ctx.config().train().withEpochs(job.epochs()).withSeed(ctx.seed(WEIGHTS, job.configuration(), job.sample()));
    }

    /** A job's network planned for training; refused when its planned peak is over the memory budget. */
    private static ExecutionPlan plan(SearchContext ctx, NagoJob job, NagoNetwork n, long budget) {
        ExecutionPlan plan = ExecutionPlan.compile(n.lower(), ctx.config().train().batch(), ctx.backend().bytesPerElement(),
                PlanOptions.TRAINING);
        long peak = plan.memoryPlan().peakBytes();
        if (peak > budget) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "NAGO configuration %d's network %d plans a training "
                    + "peak of %.1f MiB, over the memory budget of %.1f MiB (--memory); lower --option max-params or --batch",
                    job.configuration(), job.sample(), peak / 1048576.0, budget / 1048576.0));
        }
        return plan;
    }

    private static String outOfMemory(NagoJob job, ExecutionPlan plan, String detail) {
        return "out of device memory training NAGO configuration " + job.configuration() + "'s network " + job.sample()
                + " (planned peak " + plan.memoryPlan().peakBytes() + " B at batch " + plan.batchSize() + "): " + detail
                + "; lower --option max-params or --batch";
    }

    private static NagoEvaluation evaluation(NagoJob job, ExecutionPlan plan, double accuracy, double seconds) {
        return new NagoEvaluation(job.bracket(), job.rung(), job.configuration(), job.sample(), job.epochs(), accuracy,
                plan.parameterCount(), plan.memoryPlan().peakBytes(), plan.forwardMacsPerImage(), seconds);
    }

    /** Trains a job's network from scratch for its epochs; no snapshot inside, so a kill reruns the job. */
    private static NagoEvaluation train(SearchContext ctx, NagoJob job, NagoNetwork n, long budget) {
        long t0 = System.nanoTime();
        ExecutionPlan plan = plan(ctx, job, n, budget);
        try {
            TrainedSpaceNetwork t = ctx.trainFresh(network(n), plan, training(ctx, job), job.bracket());
            return evaluation(job, plan, t.validationAccuracy(), (System.nanoTime() - t0) / 1e9);
        } catch (DeviceOutOfMemoryException e) {
            throw new IllegalStateException(outOfMemory(job, plan, e.getMessage()), e);
        }
    }

    /**
     * Trains the jobs' networks side by side as {@link TrainNetworkJob}s (each what {@link #train}
     * computes) and returns their evaluations in the jobs' order.
     */
    private static List<NagoEvaluation> trainAll(SearchContext ctx, List<NagoJob> batch, List<NagoNetwork> networks, long budget,
                                                 RunJobs jobs) {
        List<ExecutionPlan> plans = new ArrayList<>();
        List<Job> out = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            plans.add(plan(ctx, batch.get(k), networks.get(k), budget));
            out.add(TrainNetworkJob.job(network(networks.get(k)), training(ctx, batch.get(k)), jobs));
        }
        LOG.info("bracket {} rung {}: {} networks trained side by side on {}", batch.get(0).bracket(), batch.get(0).rung(),
                batch.size(), jobs.service().description());
        List<JobOutcome> outcomes = jobs.service().run(out);
        List<NagoEvaluation> done = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            JobOutcome o = outcomes.get(k);
            if (!o.ok()) {
                throw new IllegalStateException(outOfMemory(batch.get(k), plans.get(k), o.message()));
            }
            done.add(evaluation(batch.get(k), plans.get(k), o.value().get("validation_accuracy").asDouble(),
                    o.value().get("seconds").asDouble()));
        }
        return done;
    }

    /**
     * Bracket {@code b} as the outputs report it: the incumbent network after it (the found
     * network so far), its accuracy, parameters and planned peak, and the seconds of the
     * bracket's jobs. Measured peaks are not kept per job: the column is 0.
     */
    private IterationRecord record(SearchContext ctx, BohbState state, int b, NagoSettings settings, InputSpec input) {
        SpaceNetwork found = network(ctx, state, settings, input);
        NagoEvaluation e = state.best(settings.samples()).map(state::bestSample).orElseThrow();
        double seconds = state.evaluations().stream().filter(x -> x.bracket() == b).mapToDouble(NagoEvaluation::seconds).sum();
        return new IterationRecord(b, ArchitectureSpaces.count(found, "edges"), ArchitectureSpaces.count(found, "ops"),
                e.params(), e.plannedPeakBytes(), 0, e.accuracy(), 0, 0, seconds);
    }

    /**
     * bohb.json, pareto.json, pareto.png (every network trained at the largest budget, its front
     * joined) and generator.json (the best configuration's parameters and the networks it drew),
     * written whole.
     */
    private void report(SearchContext ctx, BohbState state, NagoSettings settings, long budget, InputSpec input) {
        List<NagoEvaluation> top = state.evaluations().stream().filter(e -> e.epochs() == settings.maxEpochs()).toList();
        List<NagoEvaluation> front = MemoryFront.of(top);
        double hv = MemoryFront.hypervolume(top, budget);
        ctx.observer().strategyRecord(BOHB_RECORD, bohbRecord(state, settings, budget));
        Map<String, Object> pareto = new LinkedHashMap<>();
        pareto.put("memory_budget_bytes", budget);
        pareto.put("max_epochs", settings.maxEpochs());
        pareto.put("networks", top.size());
        pareto.put("hypervolume", hv);
        pareto.put("front", front.stream().map(NagoStrategy::evaluationRecord).toList());
        pareto.put("params_front", MemoryFront.of(top, NagoEvaluation::params).stream().map(NagoStrategy::evaluationRecord).toList());
        pareto.put("macs_front", MemoryFront.of(top, NagoEvaluation::macs).stream().map(NagoStrategy::evaluationRecord).toList());
        ctx.observer().strategyRecord(PARETO_RECORD, pareto);
        if (!top.isEmpty()) {
            double[] x = top.stream().mapToDouble(e -> e.plannedPeakBytes() / 1048576.0).toArray();
            double[] y = top.stream().mapToDouble(NagoEvaluation::accuracy).toArray();
            List<Integer> line = new ArrayList<>();
            for (NagoEvaluation f : front) {
                line.add(top.indexOf(f));
            }
            line.sort(java.util.Comparator.comparingDouble(i -> x[i]));
            ctx.observer().strategyScatter(PARETO_PLOT, String.format(Locale.ROOT,
                            "Accuracy-memory front (hypervolume %.4f)", hv), "planned training peak (MiB)", "validation accuracy",
                    List.of(new ScatterPlot.Group(top.size() + " networks at " + settings.maxEpochs() + " epochs, front joined",
                            x, y, line)));
        }
        state.best(settings.samples()).ifPresent(best -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("configuration", best.configuration());
            g.put("epochs", best.epochs());
            g.put("mean_validation_accuracy", best.meanAccuracy());
            g.put("sample", state.bestSample(best).sample());
            g.put("parameters", GeneratorParameters.SPACE.named(state.configurations().get(best.configuration()).point()));
            List<Object> networks = new ArrayList<>();
            for (int j = 0; j < settings.samples(); j++) {
                // drawn again from their seeds: the networks the search trained for this configuration
                NagoNetwork n = draw(ctx, state.configurations().get(best.configuration()), j, settings, input);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("sample", j);
                o.put("network", readTree(NagoJson.write(n)));
                networks.add(o);
            }
            g.put("networks", networks);
            ctx.observer().strategyRecord(GENERATOR_RECORD, g);
        });
    }

    private static Map<String, Object> bohbRecord(BohbState state, NagoSettings settings, long budget) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> hb = new LinkedHashMap<>();
        hb.put("eta", settings.eta());
        hb.put("min_epochs", settings.minEpochs());
        hb.put("max_epochs", settings.maxEpochs());
        hb.put("samples", settings.samples());
        hb.put("max_params", settings.maxParams());
        List<Object> brackets = new ArrayList<>();
        for (Bracket b : settings.hyperband().brackets()) {
            List<Object> rungs = new ArrayList<>();
            for (Rung rung : b.rungs()) {
                rungs.add(ordered("configurations", rung.configurations(), "epochs", NagoSettings.epochs(rung)));
            }
            brackets.add(ordered("s", b.s(), "rungs", rungs));
        }
        hb.put("brackets", brackets);
        r.put("hyperband", hb);
        r.put("brackets_finished", state.brackets());
        List<Object> configs = new ArrayList<>();
        for (NagoConfiguration c : state.configurations()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("bracket", c.bracket());
            m.put("parameters", GeneratorParameters.SPACE.named(c.point()));
            configs.add(m);
        }
        r.put("configurations", configs);
        r.put("evaluations", state.evaluations().stream().map(NagoStrategy::evaluationRecord).toList());
        List<Object> volumes = new ArrayList<>();
        for (int b = 0; b < state.brackets(); b++) {
            int upTo = b;
            List<NagoEvaluation> top = state.evaluations().stream()
                    .filter(e -> e.bracket() <= upTo && e.epochs() == settings.maxEpochs()).toList();
            volumes.add(ordered("bracket", b, "hypervolume", MemoryFront.hypervolume(top, budget)));
        }
        r.put("hypervolume", volumes);
        return r;
    }

    /** A two-key JSON object in this key order (Map.of's order changes from run to run). */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static Map<String, Object> evaluationRecord(NagoEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bracket", e.bracket());
        m.put("rung", e.rung());
        m.put("configuration", e.configuration());
        m.put("sample", e.sample());
        m.put("epochs", e.epochs());
        m.put("validation_accuracy", e.accuracy());
        m.put("params", e.params());
        m.put("planned_peak_bytes", e.plannedPeakBytes());
        m.put("macs", e.macs());
        m.put("seconds", e.seconds());
        return m;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read a NAGO network's JSON", e);
        }
    }
}
