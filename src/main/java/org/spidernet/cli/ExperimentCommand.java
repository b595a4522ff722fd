package org.spidernet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.experiment.ExperimentPlan;
import org.spidernet.experiment.ExperimentReport;
import org.spidernet.experiment.ExperimentRun;
import org.spidernet.experiment.InvalidPlanException;
import org.spidernet.experiment.Measure;
import org.spidernet.experiment.Pair;
import org.spidernet.experiment.PairResult;
import org.spidernet.experiment.PairFailure;
import org.spidernet.experiment.PairSearch;
import org.spidernet.experiment.PendingPair;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.experiment.PairedRow;
import org.spidernet.experiment.StrategySummary;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.EventLog;
import org.spidernet.io.OutputDirectory;
import org.spidernet.io.RunDirectoryLock;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchStrategies;
import org.spidernet.stats.Interval;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spidernet experiment PLAN}: every (strategy, seed) pair of a plan searched through the
 * {@code search} command's own path ({@link SearchSession}) into {@code OUT/pairs/}, then the
 * experiment's tables and plots ({@link ExperimentReport}) and a summary table on stdout.
 * {@code --resume OUT} continues a killed experiment from the plan copied into OUT.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        customSynopsis = {"spidernet experiment PLAN [--out DIR] [--no-progress]", "spidernet experiment --resume DIR"},
        description = "Run every (strategy, seed) pair of a plan (JSON, see docs/experiment.md) under one budget and "
                + "report each measure's mean with a 95%% interval, paired comparisons and Pareto fronts.")
final class ExperimentCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PLAN", arity = "0..1", description = "The plan: strategies, seeds, dataset, budget, memory, search settings.")
    Path plan;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/experiment-<time>); must be new or empty.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the experiment in DIR with the plan saved there: finished "
            + "pairs are kept, the interrupted one resumes from its checkpoint (only --no-progress, --quiet and --verbose may be given beside it).")
    Path resume;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @CommandLine.Mixin
    LoggingOptions logging;

    @CommandLine.Mixin
    DistributionOptions distribution;

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    @Override
    public Integer call() throws Exception {
        // ---- check every input before anything is written
        Path outDir;
        Path planFile;
        if (resume != null) {
            ResumeFlags.check(spec, resume);
            if (plan != null) {
                throw bad("--resume continues with the plan saved in " + resume + "; PLAN cannot be given with it");
            }
            planFile = resume.resolve(ExperimentPlan.FILE);
            if (!Files.isRegularFile(planFile)) {
                throw bad("--resume " + resume + ": not an experiment directory (no " + ExperimentPlan.FILE + ")");
            }
            if (Files.exists(resume.resolve(ExperimentReport.SUMMARY_JSON))) {
                throw bad("--resume " + resume + ": this experiment has already finished");
            }
            outDir = resume;
        } else {
            if (plan == null) {
                throw bad("missing PLAN (a JSON plan file, see docs/experiment.md), or --resume DIR");
            }
            planFile = plan;
            outDir = out != null ? out : Path.of("runs", "experiment-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        ExperimentPlan p;
        BackendProvider provider;
        Map<Pair, SearchConfig> configs;
        try {
            p = ExperimentPlan.read(planFile);
            try {
                provider = Backends.resolve(p.backend());
            } catch (IllegalArgumentException e) {
                throw new InvalidPlanException(planFile + ": search.backend: " + e.getMessage());
            }
            configs = p.configs(planFile, provider.capabilities());
        } catch (InvalidPlanException e) {
            throw bad(e.getMessage());
        }
        if (resume == null) {
            NewRunDirectory.check(spec, outDir, "an experiment");
        }
        Map<List<Object>, RunData> data = new HashMap<>();
        dataOf(configs.values().iterator().next(), data); // a missing or bad dataset stops the experiment before it writes
        for (Map.Entry<Pair, SearchConfig> e : configs.entrySet()) {
            // a space opens only for its data's images: checked here, before the experiment writes
            SearchConfig c = e.getValue();
            if (c.space() != null) {
                try {
                    SearchRun.sampledSpace(c, SearchStrategies.byName(c.strategy()), dataOf(c, data).input());
                } catch (IllegalArgumentException ex) {
                    throw bad(planFile + ": " + p.spaceField(e.getKey()) + ": " + ex.getMessage());
                }
            }
        }

        // ---- run
        boolean noBars = noProgress || logging.quiet;
        try (EvaluationService jobs = distribution.open(spec.commandLine());
             RunDirectoryLock lock = resume == null ? OutputDirectory.lockForNewRun(outDir) : RunDirectoryLock.acquire(outDir);
             AutoCloseable runLog = LogSetup.runFile(outDir);
             EventLog log = new EventLog(outDir.resolve(OutputDirectory.EVENTS))) {
            if (resume == null) {
                AtomicFiles.writeString(outDir.resolve(ExperimentPlan.FILE), p.toJson());
            }
            ObjectNode ev = log.event(resume != null ? "experiment_resumed" : "experiment_start");
            ev.put("command", "experiment");
            ev.put("pairs", configs.size());
            ev.put("backend", provider.name());
            ev.put("evaluation", jobs == null ? "in-process" : jobs.description());
            RunFiles.gitCommit().ifPresent(h -> ev.put("git_commit", h));
            log.write(ev);
            LOG.info(String.format(Locale.ROOT, "spidernet experiment: %d strategies x %d seeds = %d pairs, %s, out %s",
                    p.strategies().size(), p.seeds().size(), configs.size(), p.dataset(), outDir));
            PairSearch search = new PairSearch() {
                @Override
                public void start(Pair pair, SearchConfig config, Path dir) throws Exception {
                    SearchSession.run(config, provider, dataOf(config, data), dir, null, jobs, noBars, System.nanoTime());
                }

                @Override
                public void resume(Pair pair, Path dir) throws Exception {
                    SearchSession.Resumed r = SearchSession.Resumed.read(dir);
                    SearchSession.run(r.config(), Backends.resolve(r.config().source().backend()), dataOf(r.config(), data), dir, r,
                            jobs, noBars, System.nanoTime());
                }

                @Override
                public int parallelism() {
                    return jobs == null ? 1 : jobs.parallelism();
                }

                @Override
                public List<PairFailure> runAll(List<PendingPair> pairs) {
                    List<JobOutcome> outcomes = jobs.run(pairs.stream().map(SearchPairJob::job).toList());
                    List<PairFailure> failures = new ArrayList<>();
                    for (JobOutcome o : outcomes) {
                        failures.add(o.ok() ? null : failure(o.message()));
                    }
                    return failures;
                }
            };
            List<PairResult> results = new ExperimentRun(configs, outDir, search, log).run();
            ExperimentReport report = ExperimentReport.of(p, results);
            report.write(outDir);
            ObjectNode end = log.event("experiment_end");
            end.put("pairs", results.size());
            end.put("failed", results.stream().filter(r -> !r.ok()).count());
            log.write(end);
            System.out.print(render(report));
            System.out.printf(Locale.ROOT, "results in %s (%s, %s, %s, plots)%n", outDir, ExperimentReport.RESULTS,
                    ExperimentReport.SUMMARY_CSV, ExperimentReport.PAIRED);
        }
        return 0;
    }

    /** The training data of a pair's configuration, loaded once per distinct split. */
    private RunData dataOf(SearchConfig cfg, Map<List<Object>, RunData> cache) throws IOException {
        SearchConfig.Source s = cfg.source();
        List<Object> key = java.util.Arrays.asList(s.dataset(), s.data(), s.limitTrain(), cfg.train().validation(), cfg.train().batch());
        RunData d = cache.get(key);
        if (d == null) {
            d = RunData.load(spec.commandLine(), s.dataset(), s.data() != null ? Path.of(s.data()) : null, s.limitTrain(),
                    cfg.train().validation(), cfg.train().batch());
            cache.put(key, d);
        }
        return d;
    }

    /** A {@link SearchPairJob}'s failure message ("TYPE: MESSAGE") as the pair's failure. */
    private static PairFailure failure(String message) {
        int colon = message.indexOf(": ");
        return colon > 0 ? new PairFailure(message.substring(0, colon), message.substring(colon + 2))
                : new PairFailure("failure", message);
    }

    /** The summary table, the paired accuracy comparisons and the failed pairs, as printed on stdout. */
    static String render(ExperimentReport report) {
        List<String> header = new ArrayList<>(List.of("strategy", "n"));
        for (Measure m : Measure.values()) {
            header.add(m == Measure.PLANNED_PEAK ? "planned_peak_mib" : m.column);
        }
        TextTable t = new TextTable(header);
        for (StrategySummary s : report.summaries()) {
            List<String> row = new ArrayList<>(List.of(s.strategy(), String.valueOf(s.counts().get(Measure.TEST_ACCURACY))));
            for (Measure m : Measure.values()) {
                Interval i = s.intervals().get(m);
                row.add(i == null ? "-" : cell(m, i));
            }
            t.addRow(row);
        }
        StringBuilder sb = new StringBuilder("each measure: mean [95% t interval] over the seeds that finished\n").append(t.render());
        for (PairedRow r : report.paired()) {
            if (r.measure() == Measure.TEST_ACCURACY) {
                sb.append(String.format(Locale.ROOT, "%s vs %s, test accuracy on %d seeds: %s wins %d, loses %d, ties %d; mean difference %s%n",
                        r.a(), r.b(), r.comparison().n(), r.a(), r.comparison().wins(), r.comparison().losses(), r.comparison().ties(),
                        r.comparison().difference().format("%+.4f")));
            }
        }
        for (StrategySummary s : report.summaries()) {
            for (PairResult f : s.failed()) {
                sb.append(String.format(Locale.ROOT, "%s failed (left out of the statistics): %s%n", f.pair(), f.error()));
            }
        }
        return sb.toString();
    }

    private static String cell(Measure m, Interval i) {
        String f = m == Measure.TEST_ACCURACY ? "%.4f" : "%.1f";
        if (m == Measure.PLANNED_PEAK) {
            // bytes read badly at this width; MiB as the search's own lines print them
            double mib = 1024.0 * 1024.0;
            i = new Interval(i.estimate() / mib, i.low() / mib, i.high() / mib, i.level());
        }
        if (Double.isNaN(i.low())) {
            return String.format(Locale.ROOT, f, i.estimate());
        }
        return i.format(f);
    }
}
