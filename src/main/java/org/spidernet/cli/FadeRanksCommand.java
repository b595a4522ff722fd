package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.spidernet.graph.InputSpec;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.RunDirectoryLock;
import org.spidernet.io.ScatterPlot;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.fade.FadeJson;
import org.spidernet.search.fade.FadeRegion;
import org.spidernet.search.fade.RankCheck;
import org.spidernet.search.fade.RankCheckMember;
import org.spidernet.search.fade.RankCheckSettings;
import org.spidernet.search.fade.RegionResult;
import org.spidernet.stats.Bootstrap;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static org.spidernet.cli.StudyInputs.or;

/**
 * {@code spidernet fade-ranks}: FaDE's region-rank check ({@link RankCheck}). Trains a region's
 * supernet, trains each of its architectures alone, and reports Kendall's tau-b and Spearman's rho
 * between the region's ranks and the test accuracies with bootstrap intervals. The region's ranks
 * and every finished architecture are saved at once; {@code --resume DIR} does only what is missing
 * and gives what an uninterrupted run gives.
 */
@Command(name = "fade-ranks", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "FaDE's rank check: a region's supernet ranks against its architectures trained alone.")
final class FadeRanksCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FadeRanksCommand.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String SETTINGS = "fade-ranks.json";
    static final String REGION = "region.json";
    static final String REGION_RANKS = "region-ranks.json";
    static final String ARCHITECTURES = "architectures";
    static final String RANKS = "ranks.csv";
    static final String CORRELATION = "correlation.json";
    static final String PLOT = "ranks.png";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the check in DIR with its saved settings "
            + "(only --no-progress, --quiet and --verbose may be given beside it).")
    Path resume;

    @Option(names = "--stages", paramLabel = "S", description = "Stages of the region (default: " + RankCheckSettings.STAGES + ").")
    Integer stages;

    @Option(names = "--cells", paramLabel = "N", description = "Candidate cells per stage; the region holds N^S architectures (default: "
            + RankCheckSettings.CELLS + ").")
    Integer cells;

    @Option(names = "--channels", description = "Channels C of the first stage (default: " + RankCheckSettings.CHANNELS + ").")
    Integer channels;

    @Option(names = "--reductions", description = "Reducing stages, the last ones (default: " + RankCheckSettings.REDUCTIONS + ").")
    Integer reductions;

    @Option(names = "--region-epochs", paramLabel = "E", description = "Epochs of the region's supernet (default: " + RankCheckSettings.EPOCHS + ").")
    Integer regionEpochs;

    @Option(names = "--epochs", description = "Epochs of each architecture trained alone (default: " + RankCheckSettings.EPOCHS + ").")
    Integer epochs;

    @Option(names = "--sample", paramLabel = "K", description = "Architectures trained alone, drawn from the region (default: 0, all).")
    Integer sample;

    @Option(names = "--train-images", paramLabel = "N", description = "Train on the first N training images (default: " + RankCheckSettings.TRAIN_IMAGES + ").")
    Integer trainImages;

    @Option(names = "--test-images", paramLabel = "N", description = "Test on the first N test images (default: " + RankCheckSettings.TEST_IMAGES + ").")
    Integer testImages;

    @Option(names = "--batch", description = "Minibatch size (default: " + SearchDefaults.BATCH + ").")
    Integer batch;

    @Option(names = "--lr", description = "Initial learning rate of the weights, cosine-decayed to 0 every step (default: " + SearchDefaults.CPU_LEARNING_RATE + ").")
    Double lr;

    @Option(names = "--arch-lr", description = "Adam learning rate of the region's architecture weights (default: "
            + org.spidernet.search.fade.FadeSettings.CPU_ARCH_LR + ").")
    Double archLr;

    @Option(names = "--seed", description = "Seed of the region, initialisation, training and bootstrap (default: " + TrainDefaults.SEED + ").")
    Long seed;

    @Option(names = "--resamples", paramLabel = "B", description = "Bootstrap resamples per interval (default: " + Bootstrap.RESAMPLES + ").")
    Integer resamples;

    @CommandLine.Mixin
    StudyDataOptions input;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/fade-ranks-<time>); must be new or empty.")
    Path out;

    @Option(names = "--no-progress", description = "Do not print a line per architecture.")
    boolean noProgress;

    @CommandLine.Mixin
    LoggingOptions logging;

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        // ---- every input is checked before anything is written
        RankCheckSettings s;
        Path outDir;
        BackendProvider provider;
        if (resume != null) {
            s = StudyInputs.savedSettings(spec, resume, SETTINGS, RankCheckSettings.class, "fade-ranks");
            provider = Backends.resolve(s.backend());
            outDir = resume;
        } else {
            provider = Backends.resolve(input.backend);
            RankCheckSettings d = RankCheckSettings.defaults(input.dataset, input.dataPath(),
                    provider.name());
            try {
                s = new RankCheckSettings(or(stages, d.stages()), or(cells, d.cells()), or(channels, d.channels()),
                        or(reductions, d.reductions()), or(regionEpochs, d.regionEpochs()), or(epochs, d.epochs()),
                        or(sample, d.sample()), or(trainImages, d.trainImages()), or(testImages, d.testImages()),
                        or(batch, d.batch()), lr != null ? lr : d.learningRate(), archLr != null ? archLr : d.archLr(),
                        seed != null ? seed : d.seed(), or(resamples, d.resamples()), d.dataset(), d.data(), d.backend());
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            outDir = out != null ? out : Path.of("runs", "fade-ranks-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            NewRunDirectory.check(spec, outDir, "a rank check");
        }
        StudyInputs.Data inputs = StudyInputs.load(spec, s.dataset(), s.data(), s.trainImages(), s.testImages());
        ImageDataset train = inputs.train();
        ImageDataset test = inputs.test();
        InputSpec input = inputs.input();

        // ---- run
        ChannelStats stats = train.channelStats();
        Files.createDirectories(outDir.resolve(ARCHITECTURES));
        try (Backend be = provider.open();
             RunDirectoryLock lock = RunDirectoryLock.acquire(outDir);
             AutoCloseable runLog = LogSetup.runFile(outDir)) {
            if (resume == null) {
                AtomicFiles.writeString(outDir.resolve(SETTINGS), MAPPER.writeValueAsString(s));
            }
            RankCheck check = new RankCheck(s, be, train, stats, test, TrainDefaults.forMachine(provider.capabilities()).train());
            FadeRegion region = check.region(input);
            AtomicFiles.writeString(outDir.resolve(REGION), FadeJson.write(region));
            LOG.info(String.format(Locale.ROOT, "spidernet fade-ranks: %sa region of %d stages x %d cells (%d architectures, %d "
                            + "trained alone), %s, C=%d, %d region epoch(s), %d epoch(s) each on %d images, test on %d, out %s",
                    resume != null ? "resuming, " : "", s.stages(), s.cells(), (long) Math.pow(s.cells(), s.stages()),
                    s.architectures(), be.name(), s.channels(), s.regionEpochs(), s.epochs(), train.count(), test.count(), outDir));
            RegionResult ranked = readRanks(outDir.resolve(REGION_RANKS), region);
            if (ranked == null) {
                ranked = check.rank(region, SearchDefaults.memoryBudget(provider.capabilities()));
                writeRanks(outDir.resolve(REGION_RANKS), ranked);
                LOG.info(String.format(Locale.ROOT, "region trained in %.1f s", (System.nanoTime() - start) / 1e9));
            }
            List<int[]> picks = check.members(region);
            List<RankCheckMember> members = new ArrayList<>();
            for (int i = 0; i < picks.size(); i++) {
                Path file = outDir.resolve(ARCHITECTURES).resolve(String.format(Locale.ROOT, "arch-%03d.json", i));
                RankCheckMember m;
                if (Files.isRegularFile(file)) {
                    m = MAPPER.readValue(file.toFile(), RankCheckMember.class);
                } else {
                    m = check.evaluate(ranked, i, picks.get(i));
                    AtomicFiles.writeString(file, MAPPER.writeValueAsString(m));
                    if (!noProgress && !logging.quiet) {
                        LOG.info(String.format(Locale.ROOT, "architecture %d/%d %s: region score %.3f, %s, %.1f s", i + 1, picks.size(),
                                m.cells(), m.regionScore(), m.trained() ? String.format(Locale.ROOT, "test accuracy %.4f",
                                        m.testAccuracy()) : "training failed", m.seconds()));
                    }
                }
                members.add(m);
            }
            RankCheck.Correlation c = check.correlate(members);
            writeOutputs(outDir, s, ranked, members, c);
            System.out.printf(Locale.ROOT, "region of %d architectures, %d trained alone: Kendall tau-b %s, Spearman rho %s "
                            + "(%.0f%% bootstrap intervals, n=%d)%n", (long) Math.pow(s.cells(), s.stages()), members.size(),
                    IntervalFormat.text(c.kendall()), IntervalFormat.text(c.spearman()), Bootstrap.LEVEL * 100, c.n());
            LOG.info(String.format(Locale.ROOT, "spidernet fade-ranks: done in %.1f min (this process), outputs in %s",
                    (System.nanoTime() - start) / 60e9, outDir));
        }
        return 0;
    }

    /** The region's saved ranks, or null when the region has not been trained yet. */
    private static RegionResult readRanks(Path file, FadeRegion region) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(file.toFile());
            double[][] lw = MAPPER.treeToValue(n.get("log_weights"), double[][].class);
            return new RegionResult(region, lw, Double.NaN);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + ": unreadable region ranks (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + "); delete it to train the region again", e);
        }
    }

    private static void writeRanks(Path file, RegionResult ranked) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("log_weights", MAPPER.valueToTree(ranked.logWeights()));
        AtomicFiles.writeString(file, MAPPER.writeValueAsString(o));
    }

    private static void writeOutputs(Path dir, RankCheckSettings s, RegionResult ranked, List<RankCheckMember> members,
                                     RankCheck.Correlation c) throws IOException {
        StringBuilder csv = new StringBuilder("index,picks,cells,region_score,test_accuracy,params,status\n");
        for (RankCheckMember m : members) {
            csv.append(m.index()).append(',').append(join(m.picks())).append(',').append(CsvField.of(String.join(" ", m.cells())))
                    .append(',').append(m.regionScore()).append(',').append(m.trained() ? Double.toString(m.testAccuracy()) : "")
                    .append(',').append(m.params()).append(',').append(CsvField.of(m.status())).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(RANKS), csv.toString());
        ObjectNode json = MAPPER.createObjectNode();
        json.set("settings", MAPPER.valueToTree(s));
        json.put("architectures", members.size());
        json.put("trained", c.n());
        json.put("level", Bootstrap.LEVEL);
        json.set("kendall_tau", IntervalFormat.json(c.kendall()));
        json.set("spearman_rho", IntervalFormat.json(c.spearman()));
        ArrayNode best = json.putArray("region_top");
        for (RegionResult.Ranked r : ranked.top(5)) {
            best.addObject().put("picks", join(r.picks())).put("log_score", r.score());
        }
        AtomicFiles.writeString(dir.resolve(CORRELATION), MAPPER.writeValueAsString(json));
        List<RankCheckMember> ok = members.stream().filter(RankCheckMember::trained).toList();
        ScatterPlot.write(dir.resolve(PLOT), String.format(Locale.ROOT, "FaDE region ranks: tau %s, rho %s, n=%d",
                        IntervalFormat.estimate(c.kendall()), IntervalFormat.estimate(c.spearman()), c.n()),
                "region score (sum of log architecture weights)", "test accuracy after training alone",
                ok.stream().mapToDouble(RankCheckMember::regionScore).toArray(),
                ok.stream().mapToDouble(RankCheckMember::testAccuracy).toArray());
    }

    private static String join(int[] picks) {
        StringBuilder b = new StringBuilder();
        for (int p : picks) {
            b.append(b.length() == 0 ? "" : "-").append(p);
        }
        return b.toString();
    }
}
