package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.RunDirectoryLock;
import org.spidernet.io.ScatterPlot;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchSpaces;
import org.spidernet.search.correlate.ArchitectureEvaluation;
import org.spidernet.search.correlate.ArchitectureFile;
import org.spidernet.search.correlate.EvaluateArchitectureJob;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.train.TrainConfig;
import org.spidernet.search.correlate.ArchitectureResult;
import org.spidernet.search.correlate.CorrelateSettings;
import org.spidernet.search.correlate.MetricScore;
import org.spidernet.search.correlate.RankCorrelation;
import org.spidernet.search.correlate.RankCorrelations;
import org.spidernet.search.correlate.SampledArchitectures;
import org.spidernet.train.TrainDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import static org.spidernet.cli.StudyInputs.or;

/**
 * {@code spidernet correlate}: how well each train-free metric ranks architectures of the SpiderNet
 * space by their accuracy after brief training. Samples K architectures, scores each untrained with
 * every registered metric, trains and tests it, and reports Kendall's tau-b and Spearman's rho of
 * every metric and of SpiderNet's combined score against test accuracy, with bootstrap intervals.
 * Each finished architecture is saved at once ({@code architectures/arch-NNN.json});
 * {@code --resume DIR} evaluates only the missing ones and gives what an uninterrupted run gives.
 */
@Command(name = "correlate", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Rank correlation of every train-free metric with trained accuracy over sampled architectures.")
final class CorrelateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CorrelateCommand.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String SETTINGS = "correlate.json";
    static final String ARCHITECTURES = "architectures";
    static final String SCORES = "scores.csv";
    static final String CORRELATION = "correlation";
    static final String PLOTS = "plots";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the study in DIR with its saved settings, "
            + "evaluating only the architectures not yet finished (only --no-progress, --quiet and --verbose may be given beside it).")
    Path resume;

    @Option(names = "--samples", paramLabel = "K", description = "Architectures sampled (default: " + CorrelateSettings.SAMPLES + ").")
    Integer samples;

    @Option(names = "--max-splits", paramLabel = "N", description = "Most edge splits a sample takes from the initial net, drawn uniformly from 0..N "
            + "(default: " + CorrelateSettings.MAX_SPLITS + ", what the default CPU search can grow).")
    Integer maxSplits;

    @Option(names = "--channels", description = "Initial channels C of the trained networks (default: " + CorrelateSettings.CHANNELS + ").")
    Integer channels;

    @Option(names = "--reductions", description = "Reduction cells R (default: " + SearchDefaults.REDUCTIONS + ").")
    Integer reductions;

    @Option(names = "--epochs", description = "Training epochs per architecture (default: " + CorrelateSettings.EPOCHS + ").")
    Integer epochs;

    @Option(names = "--train-images", paramLabel = "N", description = "Train on the first N training images (default: " + CorrelateSettings.TRAIN_IMAGES + ").")
    Integer trainImages;

    @Option(names = "--test-images", paramLabel = "N", description = "Test on the first N test images (default: " + CorrelateSettings.TEST_IMAGES + ").")
    Integer testImages;

    @Option(names = "--batch", description = "Minibatch size (default: " + SearchDefaults.BATCH + ").")
    Integer batch;

    @Option(names = "--lr", description = "Initial learning rate, cosine-decayed to 0 every step (default: " + CorrelateSettings.LEARNING_RATE + ").")
    Double lr;

    @Option(names = "--seed", description = "Seed of sampling, initialisation, scoring data, training and bootstrap (default: " + TrainDefaults.SEED + ").")
    Long seed;

    @Option(names = "--resamples", paramLabel = "B", description = "Bootstrap resamples per interval (default: " + org.spidernet.stats.Bootstrap.RESAMPLES + ").")
    Integer resamples;

    @Option(names = "--naswot-batch", paramLabel = "N", description = "Batch of the naswot score (default: "
            + CorrelateSettings.NASWOT_BATCH + "; its reference uses 128, about 16x the cost).")
    Integer naswotBatch;

    @CommandLine.Mixin
    StudyDataOptions input;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/correlate-<time>); must be new or empty.")
    Path out;

    @Option(names = "--no-progress", description = "Do not print a line per architecture.")
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
        long start = System.nanoTime();
        // ---- every input is checked before anything is written
        CorrelateSettings s;
        Path outDir;
        BackendProvider provider;
        if (resume != null) {
            s = StudyInputs.savedSettings(spec, resume, SETTINGS, CorrelateSettings.class, "correlate");
            provider = Backends.resolve(s.backend());
            outDir = resume;
        } else {
            provider = Backends.resolve(input.backend);
            CorrelateSettings d = CorrelateSettings.defaults(input.dataset, input.dataPath(),
                    provider.name(), SearchDefaults.forMachine(provider.capabilities()).scoring());
            try {
                s = new CorrelateSettings(or(samples, d.samples()), or(maxSplits, d.maxSplits()), or(channels, d.channels()),
                        or(reductions, d.reductions()), or(epochs, d.epochs()), or(trainImages, d.trainImages()),
                        or(testImages, d.testImages()), or(batch, d.batch()), lr != null ? lr : d.learningRate(),
                        seed != null ? seed : d.seed(), or(resamples, d.resamples()), d.scoring(), or(naswotBatch, d.naswotBatch()), d.dataset(), d.data(),
                        d.backend());
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            outDir = out != null ? out : Path.of("runs", "correlate-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            NewRunDirectory.check(spec, outDir, "a study");
        }
        StudyInputs.Data inputs = StudyInputs.load(spec, s.dataset(), s.data(), s.trainImages(), s.testImages());
        ImageDataset train = inputs.train();
        ImageDataset test = inputs.test();
        InputSpec input = inputs.input();

        // ---- run
        ChannelStats stats = train.channelStats();
        EvaluationService jobs = distribution.open(spec.commandLine());
        Files.createDirectories(outDir.resolve(ARCHITECTURES));
        try (EvaluationService service = jobs;
             Backend be = provider.open();
             RunDirectoryLock lock = RunDirectoryLock.acquire(outDir);
             AutoCloseable runLog = LogSetup.runFile(outDir)) {
            if (resume == null) {
                AtomicFiles.writeString(outDir.resolve(SETTINGS), MAPPER.writeValueAsString(s));
            }
            Genome initial = Genome.initial(input, s.channels(), s.reductions());
            SampledArchitectures sampled = new SampledArchitectures(SearchSpaces.byName(SearchDefaults.SPACE), initial,
                    s.maxSplits(), new MemoryBudget(SearchDefaults.memoryBudget(provider.capabilities()), s.batch(),
                    be.bytesPerElement()), s.seed());
            ArchitectureEvaluation evaluation = new ArchitectureEvaluation(be, s,
                    TrainDefaults.forMachine(provider.capabilities()).train(), train, stats, test);
            LOG.info(String.format(Locale.ROOT, "spidernet correlate: %s%d architectures, %s, C=%d R=%d, %d epoch(s) on %d images, "
                            + "test on %d, out %s", resume != null ? "resuming, " : "", s.samples(), be.name(), s.channels(),
                    s.reductions(), s.epochs(), train.count(), test.count(), outDir));
            List<ArchitectureResult> results = new ArrayList<>(Collections.nCopies(s.samples(), null));
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < s.samples(); i++) {
                Path file = ArchitectureFile.path(outDir.resolve(ARCHITECTURES), i);
                if (Files.isRegularFile(file)) {
                    results.set(i, ArchitectureFile.read(file));
                } else {
                    missing.add(i);
                }
            }
            // side by side on a parallel service, a batch at a time so a kill loses one batch at most
            int width = service == null ? 1 : service.parallelism();
            TrainConfig machine = TrainDefaults.forMachine(provider.capabilities()).train();
            for (int from = 0; from < missing.size(); from += width) {
                List<Integer> batch = missing.subList(from, Math.min(from + width, missing.size()));
                List<ArchitectureResult> done = new ArrayList<>();
                if (width == 1) {
                    done.add(evaluation.evaluate(batch.get(0), sampled.get(batch.get(0))));
                } else {
                    List<Job> out = new ArrayList<>();
                    for (int i : batch) {
                        out.add(EvaluateArchitectureJob.job(i, sampled.get(i), s, machine, new BackendRef(provider.name(), null)));
                    }
                    for (JobOutcome o : service.run(out)) {
                        done.add(ArchitectureFile.fromTree(o.value()));
                    }
                }
                for (ArchitectureResult r : done) {
                    ArchitectureFile.write(outDir.resolve(ARCHITECTURES), r);
                    if (!noProgress && !logging.quiet) {
                        LOG.info(progressLine(r, s.samples()));
                    }
                    results.set(r.index(), r);
                }
            }
            Map<String, double[]> scores = RankCorrelations.scores(results);
            List<RankCorrelation> rows = RankCorrelations.table(scores, results, s.seed(), s.resamples());
            writeScores(outDir.resolve(SCORES), results);
            writeCorrelation(outDir, rows, results, s);
            writePlots(outDir.resolve(PLOTS), rows, scores, results);
            System.out.print(table(rows, results.size()));
            LOG.info(String.format(Locale.ROOT, "spidernet correlate: done in %.1f min (this process), outputs in %s",
                    (System.nanoTime() - start) / 60e9, outDir));
        }
        return 0;
    }

    private static String progressLine(ArchitectureResult r, int total) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "architecture %d/%d: %d edges, %,d params, ",
                r.index() + 1, total, r.genome().edgeCount(), r.params()));
        b.append(r.trained() ? String.format(Locale.ROOT, "test accuracy %.4f", r.testAccuracy()) : "training failed");
        long failed = r.metrics().values().stream().filter(m -> !m.usable()).count();
        if (failed > 0) {
            b.append(", ").append(failed).append(" metric(s) failed");
        }
        return b.append(String.format(Locale.ROOT, ", %.1f s", r.seconds())).toString();
    }

    /** One row per architecture: index, edges, params, every metric's value (empty when it failed), accuracy, statuses. */
    private static void writeScores(Path file, List<ArchitectureResult> results) throws IOException {
        List<String> names = MetricRegistry.names();
        StringBuilder b = new StringBuilder("index,edges,params");
        for (String n : names) {
            b.append(',').append(n);
        }
        b.append(",test_accuracy,status");
        for (String n : names) {
            b.append(',').append(n).append("_status");
        }
        b.append('\n');
        for (ArchitectureResult r : results) {
            b.append(r.index()).append(',').append(r.genome().edgeCount()).append(',').append(r.params());
            for (String n : names) {
                MetricScore m = r.metrics().get(n);
                b.append(',').append(m != null && m.usable() ? Double.toString(m.value()) : "");
            }
            b.append(',').append(r.trained() ? Double.toString(r.testAccuracy()) : "").append(',').append(r.status());
            for (String n : names) {
                MetricScore m = r.metrics().get(n);
                b.append(',').append(m != null ? m.status() : MetricScore.FAILED);
            }
            b.append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    private static void writeCorrelation(Path dir, List<RankCorrelation> rows, List<ArchitectureResult> results,
                                         CorrelateSettings s) throws IOException {
        StringBuilder csv = new StringBuilder("score,higher_is_better,n,failed,kendall_tau,kendall_low,kendall_high,"
                + "spearman_rho,spearman_low,spearman_high\n");
        ObjectNode json = MAPPER.createObjectNode();
        json.set("settings", MAPPER.valueToTree(s));
        json.put("architectures", results.size());
        json.put("trained", results.stream().filter(ArchitectureResult::trained).count());
        json.put("level", org.spidernet.stats.Bootstrap.LEVEL);
        ArrayNode arr = json.putArray("rows");
        for (RankCorrelation r : rows) {
            csv.append(r.score()).append(',').append(r.higherIsBetter()).append(',').append(r.n()).append(',')
                    .append(r.failed()).append(',').append(IntervalFormat.csv(r.kendall())).append(',').append(IntervalFormat.csv(r.spearman()))
                    .append('\n');
            ObjectNode o = arr.addObject();
            o.put("score", r.score());
            o.put("higher_is_better", r.higherIsBetter());
            o.put("n", r.n());
            o.put("failed", r.failed());
            o.set("kendall_tau", IntervalFormat.json(r.kendall()));
            o.set("spearman_rho", IntervalFormat.json(r.spearman()));
        }
        AtomicFiles.writeString(dir.resolve(CORRELATION + ".csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve(CORRELATION + ".json"), MAPPER.writeValueAsString(json));
    }

    /** One scatter per score: the score of every architecture where it and training succeeded, against accuracy. */
    private static void writePlots(Path dir, List<RankCorrelation> rows, Map<String, double[]> scores,
                                   List<ArchitectureResult> results) throws IOException {
        Files.createDirectories(dir);
        for (RankCorrelation row : rows) {
            double[][] xy = RankCorrelations.points(scores.get(row.score()), results);
            String title = String.format(Locale.ROOT, "%s (%s is better): tau %s, rho %s, n=%d", row.score(),
                    row.higherIsBetter() ? "higher" : "lower", IntervalFormat.estimate(row.kendall()), IntervalFormat.estimate(row.spearman()), row.n());
            ScatterPlot.write(dir.resolve(row.score() + ".png"), title, row.score() + " (untrained)", "test accuracy", xy[0], xy[1]);
        }
    }

    static String table(List<RankCorrelation> rows, int architectures) {
        TextTable t = new TextTable(List.of("score", "better", "n", "Kendall tau-b [95% CI]", "Spearman rho [95% CI]"));
        for (RankCorrelation r : rows) {
            t.addRow(List.of(r.score(), r.higherIsBetter() ? "higher" : "lower", r.n() + "/" + architectures,
                    IntervalFormat.text(r.kendall()), IntervalFormat.text(r.spearman())));
        }
        return t.render();
    }
}
