package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.io.AtomicFiles;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.io.EventLog;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.io.WeightsFile;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.search.CandidateDecision;
import org.spidernet.search.CandidateRecord;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.MetricCandidateScorer;
import org.spidernet.search.MutationRound;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spidernet search}: SpiderNet's search (or the random baseline) on a dataset, with an event
 * log, a checkpoint after every epoch and mutation round, {@code --resume}, and the found network,
 * its weights, plots, cell diagrams and a summary at the end.
 */
@Command(name = "search", description = "Search an architecture with SpiderNet (or --strategy random) and train the found net.")
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * SpiderNet's pair, with the NTK condition number taken over batch-centred outputs: in this
     * space the output node's BatchNorm makes a batch's summed logits independent of every weight,
     * so the plain Gram matrix is singular at initialisation (one null vector per batch).
     */
    static final List<String> DEFAULT_METRICS = List.of("ntk_centred", "lrc");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the search in DIR from its last checkpoint, with its settings.")
    Path resume;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist, mnist, cifar10, cifar100 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset directory.")
    Path data;

    @Option(names = "--reductions", defaultValue = "2", description = "Reduction cells R (default: ${DEFAULT-VALUE}).")
    int reductions;

    @Option(names = "--channels", description = "Initial channels C (default: " + SearchDefaults.CPU_CHANNELS + " on CPU, 64 on CUDA).")
    Integer channels;

    @Option(names = "--strategy", defaultValue = "spidernet", description = "spidernet or random (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--iterations", description = "Search iterations at most (default: " + SearchDefaults.CPU_ITERATIONS + " on CPU, 30 on CUDA).")
    Integer iterations;

    @Option(names = "--epochs-per-iteration", description = "Training epochs per search iteration (default: " + SearchDefaults.CPU_EPOCHS + " on CPU, 4 on CUDA).")
    Integer epochsPerIteration;

    @Option(names = "--final-epochs", description = "Epochs of the final training (default: " + SearchDefaults.CPU_FINAL_EPOCHS + " on CPU, 600 on CUDA).")
    Integer finalEpochs;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images (default: " + SearchDefaults.CPU_LIMIT_TRAIN + " on CPU, all on CUDA).")
    Integer limitTrain;

    @Option(names = "--validation", defaultValue = "640", paramLabel = "N", description = "Hold out the last N training images for decisions (default: ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--batch", defaultValue = "64", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

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

    @Option(names = "--device-memory", paramLabel = "BYTES", description = "Emulate a device holding only this much in tensors, e.g. 300M: "
            + "allocating beyond it fails as a full device would. Set it below --memory to test that the search survives a device "
            + "smaller than its budget (default: the backend's own memory).")
    String deviceMemory;

    @Option(names = "--metrics", split = ",", description = "Train-free metrics scoring candidates (default: ntk_centred,lrc; see the README on why not plain ntk).")
    List<String> metrics;

    @Option(names = "--candidates", defaultValue = "3", description = "Good candidates evaluated per cell (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--inits", description = "Random initialisations each candidate's deltas are averaged over (default: " + SearchDefaults.CPU_INITS + " on CPU, 3 on CUDA).")
    Integer inits;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, reference, cuda or cuda-emulated (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/search-<time>); must be new or empty.")
    Path out;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path outDir;
        SearchSnapshot snapshot = null;
        double elapsedBefore = 0;
        JsonNode savedConfig = null;
        if (resume != null) {
            Path ck = resume.resolve("checkpoint");
            snapshot = SearchCheckpoint.read(ck);
            if (snapshot.phase() == SearchPhase.DONE) {
                throw bad("--resume " + resume + ": this search has already finished");
            }
            savedConfig = SearchCheckpoint.config(ck);
            elapsedBefore = SearchCheckpoint.elapsedSeconds(ck);
            applySaved(savedConfig);
            outDir = resume;
        } else {
            outDir = out != null ? out : Path.of("runs", "search-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        // ---- check every input before anything is written
        BackendProvider provider = Backends.resolve(backend);
        boolean gpu = provider.name().equals("cuda");
        SearchDefaults d = gpu ? SearchDefaults.GPU : SearchDefaults.CPU;
        int c = channels != null ? channels : d.channels();
        int its = iterations != null ? iterations : d.iterations();
        int epi = epochsPerIteration != null ? epochsPerIteration : d.epochsPerIteration();
        int fin = finalEpochs != null ? finalEpochs : d.finalEpochs();
        int nInits = inits != null ? inits : d.inits();
        double rate = lr != null ? lr : d.learningRate();
        Integer limit = limitTrain != null ? limitTrain : d.limitTrain();
        double dp = dropPath != null ? dropPath : d.dropPath();
        int cropPx = crop != null ? crop : d.crop();
        int cutoutPx = cutout != null ? cutout : d.cutout();
        if (lrDecay != null && !lrDecay.equals("step") && !lrDecay.equals("epoch")) {
            throw bad("--lr-decay must be step or epoch, got '" + lrDecay + "'");
        }
        boolean perStep = lrDecay != null ? lrDecay.equals("step") : d.perStepDecay();
        List<String> metricNames = metrics != null ? metrics : DEFAULT_METRICS;
        for (String m : metricNames) {
            try {
                MetricRegistry.byName(m);
            } catch (IllegalArgumentException e) {
                throw bad("--metrics: " + e.getMessage());
            }
        }
        if (epi < 1) {
            throw bad("--epochs-per-iteration must be >= 1, got " + epi);
        }
        long budget;
        try {
            budget = memory != null ? ByteSize.parse(memory) : SearchDefaults.defaultBudget(provider);
        } catch (IllegalArgumentException e) {
            throw bad("--memory: " + e.getMessage());
        }
        Long deviceCapacity;
        try {
            deviceCapacity = deviceMemory != null ? ByteSize.parse(deviceMemory) : null;
        } catch (IllegalArgumentException e) {
            throw bad("--device-memory: " + e.getMessage());
        }
        SearchConfig cfg;
        try {
            TrainConfig tc = TrainConfig.spiderNetDefaults(seed).withEpochs(epi).withBatch(batch).withLearningRate(rate)
                    .withValidation(validation).withDropPath(dp).withAugmentation(cropPx, true, cutoutPx, 0.5)
                    .withPerStepDecay(perStep);
            cfg = new SearchConfig(reductions, c, its, tc, fin, budget, candidates, metricNames, nInits,
                    d.scoring(), strategy, seed);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        RunData rd = RunData.load(spec.commandLine(), dataset, data, limit, validation, batch);
        String datasetName = rd.name();
        DatasetSplit split = rd.split();
        HoldoutSplit hold = rd.hold();
        if (resume == null && Files.exists(outDir) && (!Files.isDirectory(outDir) || Files.list(outDir).findAny().isPresent())) {
            throw bad("--out " + outDir + " already exists and is not an empty directory (use --resume to continue a search)");
        }
        ObjectNode config = savedConfig != null ? (ObjectNode) savedConfig
                : describe(c, its, epi, fin, nInits, rate, limit, metricNames, budget, deviceCapacity, cfg.train());

        // ---- run
        try (Backend be = deviceCapacity != null ? provider.open(deviceCapacity) : provider.open()) {
            Files.createDirectories(outDir);
            try (EventLog log = new EventLog(outDir.resolve("events.jsonl"))) {
                SearchOutputs outputs = new SearchOutputs(outDir, log, config, start, elapsedBefore, noProgress);
                if (snapshot != null) {
                    outputs.restoreHistory(snapshot.history());
                }
                SearchRun run = new SearchRun(cfg, be, hold.train(), hold.validation(), split.test(),
                        new MetricCandidateScorer(be, hold.train(), metricNames, nInits, d.scoring()), outputs);
                ObjectNode ev = log.event(resume != null ? "run_resumed" : "run_start");
                ev.put("command", "search");
                ev.put("strategy", cfg.strategy());
                ev.put("backend", be.name());
                ev.put("dataset", datasetName);
                ev.set("config", config);
                ev.put("train_images", hold.train().count());
                ev.put("validation_images", hold.validation().count());
                ev.put("memory_budget_bytes", budget);
                if (deviceCapacity != null) {
                    ev.put("device_memory_bytes", deviceCapacity);
                }
                if (snapshot != null && snapshot.memoryBudgetBytes() < budget) {
                    ev.put("effective_memory_budget_bytes", snapshot.memoryBudgetBytes());
                }
                ev.put("initial_planned_peak_bytes", run.budget().plannedPeak(run.initialGenome()));
                RunFiles.gitCommit().ifPresent(h -> ev.put("git_commit", h));
                if (snapshot != null) {
                    ev.put("resumed_phase", snapshot.phase().name());
                    ev.put("resumed_iteration", snapshot.iteration());
                    ev.put("resumed_epochs_completed", snapshot.epochsCompleted());
                }
                log.write(ev);
                System.err.printf("spidernet search: %s on %s, %s, C=%d R=%d, %d iterations x %d epochs, final %d epochs, budget %s%s, out %s%n",
                        cfg.strategy(), be.name(), datasetName, c, reductions, its, epi, fin, ByteSize.format(budget),
                        deviceCapacity != null ? ", emulated device " + ByteSize.format(deviceCapacity) : "", outDir);
                SearchRun.Result result;
                try {
                    result = run.run(snapshot);
                } catch (RuntimeException e) {
                    ObjectNode fail = log.event("run_failed");
                    fail.put("error", String.valueOf(e.getMessage()));
                    log.write(fail);
                    throw e;
                }
                outputs.finish(result, cfg, be.name(), run.initialGenome());
                outputs.markDone(result);
            }
        }
        return 0;
    }

    /** The settings that define the run, saved in every checkpoint so {@code --resume} repeats them. */
    private ObjectNode describe(int c, int its, int epi, int fin, int nInits, double rate, Integer limit, List<String> metricNames, long budget,
                                Long deviceCapacity, TrainConfig tc) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("dataset", dataset);
        if (data != null) {
            n.put("data", data.toAbsolutePath().toString());
        }
        n.put("reductions", reductions);
        n.put("channels", c);
        n.put("strategy", strategy);
        n.put("iterations", its);
        n.put("epochs_per_iteration", epi);
        n.put("final_epochs", fin);
        if (limit != null) {
            n.put("limit_train", limit);
        }
        n.put("validation", validation);
        n.put("batch", batch);
        n.put("lr", rate);
        n.put("lr_decay", tc.perStepDecay() ? "step" : "epoch");
        n.put("drop_path", tc.dropPath());
        n.put("crop", tc.cropPadding());
        n.put("cutout", tc.cutout());
        n.put("memory", budget);
        if (deviceCapacity != null) {
            n.put("device_memory", deviceCapacity);
        }
        ArrayNode m = n.putArray("metrics");
        metricNames.forEach(m::add);
        n.put("candidates", candidates);
        n.put("inits", nInits);
        n.put("backend", backend);
        n.put("seed", seed);
        return n;
    }

    private void applySaved(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw bad("--resume " + resume + ": the checkpoint carries no configuration");
        }
        dataset = n.get("dataset").asText();
        data = n.has("data") ? Path.of(n.get("data").asText()) : null;
        reductions = n.get("reductions").asInt();
        channels = n.get("channels").asInt();
        strategy = n.get("strategy").asText();
        iterations = n.get("iterations").asInt();
        epochsPerIteration = n.get("epochs_per_iteration").asInt();
        finalEpochs = n.get("final_epochs").asInt();
        limitTrain = n.has("limit_train") ? n.get("limit_train").asInt() : null;
        validation = n.get("validation").asInt();
        batch = n.get("batch").asInt();
        lr = n.get("lr").asDouble();
        // Absent in checkpoints written before these options existed: then the machine's defaults apply.
        lrDecay = n.has("lr_decay") ? n.get("lr_decay").asText() : null;
        dropPath = n.has("drop_path") ? n.get("drop_path").asDouble() : null;
        crop = n.has("crop") ? n.get("crop").asInt() : null;
        cutout = n.has("cutout") ? n.get("cutout").asInt() : null;
        memory = Long.toString(n.get("memory").asLong());
        // the emulated device is part of the experiment, so a resumed run keeps it too
        deviceMemory = n.has("device_memory") ? Long.toString(n.get("device_memory").asLong()) : null;
        metrics = MAPPER.convertValue(n.get("metrics"), List.class);
        candidates = n.get("candidates").asInt();
        inits = n.get("inits").asInt();
        backend = n.get("backend").asText();
        seed = n.get("seed").asLong();
    }
}
