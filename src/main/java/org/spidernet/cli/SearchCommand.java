package org.spidernet.cli;

import org.spidernet.api.SearchSettings;
import org.spidernet.api.UnknownOptionException;
import org.spidernet.backend.BackendProvider;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.backend.Backends;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.CheckpointStore;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchStrategies;
import org.spidernet.search.StrategyOption;
import org.spidernet.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spidernet search}: a search strategy (SpiderNet's by default) on a dataset, with an event
 * log, a checkpoint after every epoch and mutation round, {@code --resume}, and the found network,
 * its weights, plots, cell diagrams and a summary at the end.
 */
@Command(name = "search", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, description = "Search an architecture with SpiderNet (or --strategy random) and train the found net.")
final class SearchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the search in DIR from its last checkpoint, with its settings "
            + "(only --no-progress, --quiet and --verbose may be given beside it).")
    Path resume;

    @Option(names = "--dataset", defaultValue = SearchDefaults.DATASET, description = "fashion-mnist, mnist, cifar10, cifar100 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset directory.")
    Path data;

    @Option(names = "--reductions", description = "Reduction cells R (default: " + SearchDefaults.REDUCTIONS + ").")
    Integer reductions;

    @Option(names = "--channels", description = "Initial channels C (default: " + SearchDefaults.CPU_CHANNELS + " on CPU, 64 on CUDA).")
    Integer channels;

    @Option(names = "--strategy", defaultValue = SearchDefaults.STRATEGY, description = "Search strategy: spidernet, random or another plug-in; "
            + "spidernet strategies lists them with their options (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--space", paramLabel = "NAME|FILE", description = "Search this space instead of the strategy's own: "
            + "a space's name (autospace) or a space file (a learned AutoSpace space, a FaDE region.json); "
            + "random and darts take it.")
    String space;

    @Option(names = "--iterations", description = "Search iterations at most (default: " + SearchDefaults.CPU_ITERATIONS + " on CPU, 30 on CUDA).")
    Integer iterations;

    @Option(names = "--epochs-per-iteration", description = "Training epochs per search iteration (default: " + SearchDefaults.CPU_EPOCHS + " on CPU, 4 on CUDA).")
    Integer epochsPerIteration;

    @Option(names = "--final-epochs", description = "Epochs of the final training (default: " + SearchDefaults.CPU_FINAL_EPOCHS + " on CPU, 600 on CUDA).")
    Integer finalEpochs;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images (default: " + SearchDefaults.CPU_LIMIT_TRAIN + " on CPU, all on CUDA).")
    Integer limitTrain;

    @Option(names = "--validation", paramLabel = "N", description = "Hold out the last N training images for decisions (default: " + SearchDefaults.VALIDATION + ").")
    Integer validation;

    @Option(names = "--batch", description = "Minibatch size (default: " + SearchDefaults.BATCH + ").")
    Integer batch;

    @Option(names = "--lr", description = "Learning rate, cosine-decayed over each training phase (default: 0.05 on CPU, SpiderNet's 0.01 on CUDA).")
    Double lr;

    @Option(names = "--drop-path", paramLabel = "P", description = "Drop-path probability on every non-identity op (default: 0 on CPU, SpiderNet's 0.2 on CUDA).")
    Double dropPath;

    @Option(names = "--crop", paramLabel = "PX", description = "Random-crop padding, 0 to disable (default: 0 on CPU, SpiderNet's 4 on CUDA).")
    Integer crop;

    @Option(names = "--cutout", paramLabel = "PX", description = "Cutout side, 0 to disable (default: 0 on CPU, SpiderNet's 16 on CUDA).")
    Integer cutout;

    @Option(names = "--lr-decay", paramLabel = "step|epoch", description = "Move the cosine every step or once per epoch (default: step on CPU, SpiderNet's epoch on CUDA).")
    String lrDecay;

    @Option(names = "--memory", paramLabel = "BYTES", description = "Memory budget for the planned training peak, e.g. 2G (default: a quarter of this machine's memory on CPU; free device memory on CUDA).")
    String memory;

    @Option(names = "--max-images", paramLabel = "N", description = "Stop growing or sampling once the search has trained on N images "
            + "(counted over its iterations' epochs; an iteration is never cut short); for equal budgets across strategies.")
    Long maxImages;

    @Option(names = "--max-time", paramLabel = "DURATION", description = "Stop after this much wall-clock time, e.g. 900, 30m, 2h "
            + "(checked between iterations; time before a --resume counts).")
    String maxTime;

    @Option(names = "--device-memory", paramLabel = "BYTES", description = "Emulate a device holding only this much in tensors, e.g. 300M: "
            + "allocating beyond it fails as a full device would. Set it below --memory to test that the search survives a device "
            + "smaller than its budget (default: the backend's own memory).")
    String deviceMemory;

    @Option(names = "--metrics", split = ",", description = "Train-free metrics scoring candidates (default: ntk_centred,lrc; see the README on why not plain ntk).")
    List<String> metrics;

    @Option(names = "--candidates", description = "Good candidates evaluated per cell (default: " + SearchDefaults.CANDIDATES + ").")
    Integer candidates;

    @Option(names = "--inits", description = "Random initialisations each candidate's deltas are averaged over (default: " + SearchDefaults.CPU_INITS + " on CPU, 3 on CUDA).")
    Integer inits;

    @Option(names = "--option", paramLabel = "NAME=VALUE", description = "A setting of the strategy's own, e.g. --option layers=5 "
            + "(spidernet strategies lists each strategy's options and defaults); repeatable.")
    Map<String, String> strategyOptions;

    @Option(names = "--backend", defaultValue = SearchDefaults.BACKEND, description = "auto, cpu, reference, cuda or cuda-emulated (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--seed", description = "Seed of every random choice (default: " + SearchDefaults.SEED + ").")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/search-<time>); must be new or empty.")
    Path out;

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
        long start = System.nanoTime();
        Path outDir;
        SearchSession.Resumed resumed = null;
        SearchConfig cfg;
        BackendProvider provider;
        // ---- check every input before anything is written
        if (resume != null) {
            ResumeFlags.check(spec, resume);
            if (!CheckpointStore.exists(resume.resolve("checkpoint"))) {
                throw bad("--resume " + resume + ": not a search run (no checkpoint/" + Checkpoint.STATE + ")");
            }
            // the kind is read from the checkpoint that verifies: checkpoint/ may be the damaged one
            CheckpointStore.Resolved from = CheckpointStore.resolve(resume.resolve("checkpoint"));
            if (TrainCheckpoint.KIND.equals(TrainCheckpoint.kind(from.dir()))) {
                throw bad("--resume " + resume + ": a train run, not a search run (continue it with train --resume)");
            }
            resumed = SearchSession.Resumed.read(from);
            if (resumed.snapshot().phase() == SearchPhase.DONE) {
                throw bad("--resume " + resume + ": this search has already finished");
            }
            cfg = resumed.config();
            outDir = resume;
            provider = Backends.resolve(cfg.source().backend());
        } else {
            outDir = out != null ? out : Path.of("runs", "search-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            provider = Backends.resolve(backend);
            cfg = configFromFlags(provider.capabilities());
        }
        SearchConfig.Source source = cfg.source();
        TrainConfig tc = cfg.train();
        RunData rd = RunData.load(spec.commandLine(), source.dataset(), source.data() != null ? Path.of(source.data()) : null,
                source.limitTrain(), tc.validation(), tc.batch());
        try {
            SearchRun.sampledSpace(cfg, SearchStrategies.byName(cfg.strategy()), rd.input());
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (resume == null) {
            NewRunDirectory.check(spec, outDir, "a search");
        }
        try (EvaluationService jobs = distribution.open(spec.commandLine())) {
            SearchSession.run(cfg, provider, rd, outDir, resumed, jobs, noProgress || logging.quiet, start);
        }
        return 0;
    }

    /** The run's settings: this machine's defaults, each overridden by its flag where one is given. */
    private SearchConfig configFromFlags(BackendProvider.Capabilities caps) {
        SearchSettings settings = new SearchSettings().strategy(strategy).dataset(dataset, data).backend(backend).space(space);
        try {
            if (lrDecay != null) {
                settings.lrDecay(lrDecay);
            }
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        try {
            if (memory != null) {
                settings.memoryBudget(ByteSize.parse(memory));
            }
        } catch (IllegalArgumentException e) {
            throw bad("--memory: " + e.getMessage());
        }
        try {
            settings.deviceMemory(deviceMemory != null ? ByteSize.parse(deviceMemory) : null);
        } catch (IllegalArgumentException e) {
            throw bad("--device-memory: " + e.getMessage());
        }
        try {
            if (maxTime != null) {
                settings.maxSeconds(WallTime.parseSeconds(maxTime));
            }
        } catch (IllegalArgumentException e) {
            throw bad("--max-time: " + e.getMessage());
        }
        setIfGiven(reductions, settings::reductions);
        setIfGiven(channels, settings::channels);
        setIfGiven(iterations, settings::iterations);
        setIfGiven(epochsPerIteration, settings::epochsPerIteration);
        setIfGiven(finalEpochs, settings::finalEpochs);
        setIfGiven(limitTrain, settings::limitTrain);
        setIfGiven(validation, settings::validation);
        setIfGiven(batch, settings::batch);
        setIfGiven(lr, settings::learningRate);
        setIfGiven(dropPath, settings::dropPath);
        setIfGiven(crop, settings::crop);
        setIfGiven(cutout, settings::cutout);
        setIfGiven(maxImages, settings::maxImages);
        setIfGiven(metrics, settings::metrics);
        setIfGiven(candidates, settings::candidates);
        setIfGiven(inits, settings::inits);
        setIfGiven(seed, settings::seed);
        if (strategyOptions != null) {
            strategyOptions.forEach(settings::option);
        }
        try {
            return settings.resolve(caps);
        } catch (UnknownOptionException e) {
            throw bad(e.getMessage() + Suggestion.among(e.given(), e.known()));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static <T> void setIfGiven(T value, java.util.function.Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Whether a strategy option is set by a flag of its own ({@code --metrics}) rather than {@code --option}. */
    static boolean hasOwnFlag(CommandLine.Model.CommandSpec search, StrategyOption o) {
        return search.findOption("--" + o.name()) != null;
    }
}
