package org.spidernet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.MemoryPlan;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.GenomeRanges;
import org.spidernet.graph.InputSpec;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.CheckpointStore;
import org.spidernet.io.EventLog;
import org.spidernet.io.OutputDirectory;
import org.spidernet.io.RunDirectoryLock;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.Evaluation;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainDefaults;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spidernet train}: trains SpiderNet's initial network (or a genome from a file) on a real
 * dataset and writes the event log, per-epoch metrics, a checkpoint after every epoch and a
 * summary into the output directory. Every input is checked before the output directory is
 * created, so a bad flag or file leaves nothing behind. {@code --resume DIR} rebuilds the run from
 * its checkpoint ({@link TrainCheckpoint}) and finishes it with the numbers an uninterrupted run
 * gives: each epoch draws its own random streams from the seed, and the checkpoint holds the
 * weights, momentum, trainer state and every setting.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, description = "Train the initial SpiderNet network (or --genome FILE) on a dataset.")
final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final String CHECKPOINT = "checkpoint";
    private static final String SUMMARY = "summary.json";

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the train run in DIR from its last checkpoint, with its "
            + "settings, to the result an uninterrupted run gives (only --no-progress, --quiet and --verbose may be given beside it).")
    Path resume;

    @Option(names = "--dataset", defaultValue = TrainDefaults.DATASET,
            description = "fashion-mnist, mnist, cifar10 or cifar100 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Dataset directory (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--genome", paramLabel = "FILE", description = "Train this genome (JSON) instead of the initial net.")
    Path genomeFile;

    @Option(names = "--epochs", description = "Training epochs (default: " + TrainDefaults.EPOCHS + ").")
    Integer epochs;

    @Option(names = "--batch", description = "Minibatch size (default: " + TrainDefaults.BATCH + ").")
    Integer batch;

    @Option(names = "--channels", description = "Initial channels C (default: " + TrainDefaults.CPU_CHANNELS
            + " on CPU backends, " + TrainDefaults.GPU_CHANNELS + " on CUDA).")
    Integer channels;

    @Option(names = "--reductions", description = "Reduction cells R (default: " + TrainDefaults.REDUCTIONS + ").")
    Integer reductions;

    @Option(names = "--backend", defaultValue = TrainDefaults.BACKEND, description = "auto, cpu, reference, cuda or cuda-emulated (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--seed", description = "Seed for initialisation, shuffling, augmentation and drop-path (default: " + TrainDefaults.SEED + ").")
    Long seed;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images.")
    Integer limitTrain;

    @Option(names = "--validation", paramLabel = "N",
            description = "Hold out the last N training images for validation (default: " + TrainDefaults.VALIDATION + ").")
    Integer validation;

    @Option(names = "--lr", description = "Initial learning rate, cosine-decayed to 0 (default: " + TrainDefaults.LEARNING_RATE + ").")
    Double lr;

    @Option(names = "--decay-per-epoch", description = "Step the cosine once per epoch, as SpiderNet's search does (default: every step).")
    boolean decayPerEpoch;

    @Option(names = "--drop-path", description = "Drop-path probability (default: " + TrainDefaults.DROP_PATH + "; SpiderNet: 0.2).")
    Double dropPath;

    @Option(names = "--crop", paramLabel = "PX", description = "Random-crop padding in pixels, 0 to disable (default: " + TrainDefaults.CROP + "; SpiderNet: 4).")
    Integer crop;

    @Option(names = "--cutout", paramLabel = "PX", description = "Cutout square side in pixels, 0 to disable (default: " + TrainDefaults.CUTOUT + "; SpiderNet: 16).")
    Integer cutout;

    @Option(names = "--no-augment", description = "Disable crop, flip and cutout.")
    boolean noAugment;

    @Option(names = "--device-memory", paramLabel = "BYTES", description = "Emulate a device holding only this much in tensors, e.g. 300M: "
            + "allocating beyond it fails as a full device would (default: the backend's own memory).")
    String deviceMemory;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/train-<time>); must be new or empty.")
    Path out;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @CommandLine.Mixin
    LoggingOptions logging;

    /**
     * For tests: after the checkpoint of this many epochs the run fails as a crash would leave it
     * (no summary), so a test can resume it in-process; 0 never.
     */
    int crashAfterEpochs;

    /** With --resume, the checkpoint the run resumes from (checkpoint/ or, when that is corrupt, checkpoint.previous/). */
    private CheckpointStore.Resolved resumedFrom;

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    /** Binds the network; a device too small for it is a logged failure naming the planned peak. */
    private static Network bind(ExecutionPlan plan, Backend be, EventLog log) {
        try {
            return Network.bind(plan, be);
        } catch (DeviceOutOfMemoryException e) {
            String msg = "out of device memory allocating the network (planned peak " + plan.memoryPlan().peakBytes()
                    + " B at batch " + plan.batchSize() + "): " + e.getMessage();
            ObjectNode fail = log.event("run_failed");
            fail.put("error", msg);
            log.write(fail);
            throw new IllegalStateException(msg, e);
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        // ---- check every input before anything is written
        TrainCheckpoint saved = resume != null ? resumable() : null;
        TrainConfig cfg;
        BackendProvider provider;
        Genome genomeArg = null;
        String datasetArg;
        Path dataArg;
        Integer limitArg;
        int c;
        int reductions;
        Long deviceCapacity;
        if (saved != null) {
            cfg = saved.config();
            TrainSource src = saved.source();
            provider = Backends.resolve(src.backend());
            datasetArg = src.dataset();
            dataArg = src.data() != null ? Path.of(src.data()) : null;
            limitArg = src.limitTrain();
            c = src.channels();
            reductions = src.reductions();
            deviceCapacity = src.deviceMemoryBytes();
        } else {
            provider = Backends.resolve(backend);
            // the flags given override the defaults for this machine; the configs check every range
            TrainDefaults d = TrainDefaults.forMachine(provider.capabilities());
            c = channels != null ? channels : d.channels();
            reductions = this.reductions != null ? this.reductions : d.reductions();
            try {
                GenomeRanges.checkChannels(c);
                GenomeRanges.checkReductions(reductions);
                TrainConfig t = d.train();
                cfg = t.withSeed(seed != null ? seed : t.seed())
                        .withEpochs(epochs != null ? epochs : t.epochs())
                        .withBatch(batch != null ? batch : t.batch())
                        .withLearningRate(lr != null ? lr : t.learningRate())
                        .withDropPath(dropPath != null ? dropPath : t.dropPath())
                        .withValidation(validation != null ? validation : t.validation())
                        .withAugmentation(noAugment ? 0 : crop != null ? crop : t.cropPadding(), !noAugment && t.flip(),
                                noAugment ? 0 : cutout != null ? cutout : t.cutout(), t.cutoutProb())
                        .withPerStepDecay(decayPerEpoch ? false : t.perStepDecay());
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            try {
                deviceCapacity = deviceMemory != null ? ByteSize.parse(deviceMemory) : null;
            } catch (IllegalArgumentException e) {
                throw bad("--device-memory: " + e.getMessage());
            }
            genomeArg = genomeFile == null ? null : GenomeJson.read(genomeFile);
            datasetArg = dataset;
            dataArg = data;
            limitArg = limitTrain;
        }
        long seed = cfg.seed();
        int batch = cfg.batch();
        RunData rd = RunData.load(spec.commandLine(), datasetArg, dataArg, limitArg, cfg.validation(), batch);
        String datasetName = rd.name();
        DatasetSplit split = rd.split();
        HoldoutSplit hold = rd.hold();
        ImageDataset full = hold.train();
        InputSpec input = new InputSpec(full.channels(), full.height(), full.width(), full.numClasses());
        Genome genome = saved != null ? saved.genome() : genomeArg != null ? genomeArg : Genome.initial(input, c, reductions);
        Path outDir;
        TrainSource source;
        if (saved != null) {
            outDir = resume;
            source = saved.source();
            checkSameData(saved, datasetName, hold, split, genome, input);
        } else {
            if (!genome.input().equals(input)) {
                throw bad("genome expects input " + genome.input() + " but " + datasetName + " has " + input);
            }
            outDir = out != null ? out : Path.of("runs", "train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            NewRunDirectory.check(spec, outDir, "a train run");
            source = new TrainSource(datasetName, data != null ? data.toAbsolutePath().toString() : null, limitTrain,
                    provider.name(), deviceCapacity, c, reductions,
                    genomeFile != null ? genomeFile.toAbsolutePath().toString() : null);
        }
        // time and memory before a --resume count, as they were spent on this run
        double elapsedBefore = saved != null ? saved.elapsedSeconds() : 0;
        long peakBefore = saved != null ? saved.measuredPeakBytes() : 0;

        // ---- run
        ChannelStats stats = hold.train().channelStats();
        try (Backend be = deviceCapacity != null ? provider.open(deviceCapacity) : provider.open()) {
            ExecutionPlan plan = ExecutionPlan.compile(genome, batch, be.bytesPerElement());
            MemoryPlan mp = plan.memoryPlan();
            RunFiles files = new RunFiles(outDir);
            try (RunDirectoryLock lock = saved == null ? OutputDirectory.lockForNewRun(outDir) : RunDirectoryLock.acquire(outDir);
                 AutoCloseable runLog = LogSetup.runFile(outDir);
                 EventLog log = new EventLog(outDir.resolve(OutputDirectory.EVENTS));
                 Network net = bind(plan, be, log)) {
                Trainer trainer = new Trainer(net, cfg, hold.train(), stats);
                if (saved == null) {
                    net.initialize(seed, InitScheme.FAN_IN);
                } else {
                    restore(net, trainer, saved, resumedFrom.dir());
                    if (resumedFrom.fellBack()) {
                        String position = "epoch " + saved.epochsCompleted();
                        LOG.warn(resumedFrom.fallbackLine(position));
                        resumedFrom.logFallback(log, position);
                    }
                }
                int first = trainer.history().size();
                ObjectNode startEv = log.event(saved != null ? "run_resumed" : "run_start");
                startEv.put("command", "train");
                startEv.put("backend", be.name());
                startEv.put("dataset", datasetName);
                startEv.put("train_images", hold.train().count());
                startEv.put("validation_images", hold.validation().count());
                startEv.put("test_images", split.test().count());
                startEv.set("config", files.mapper().valueToTree(cfg));
                startEv.set("source", files.mapper().valueToTree(source));
                startEv.set("genome", GenomeJson.toTree(genome));
                startEv.put("params", plan.parameterCount());
                startEv.put("macs_per_image", plan.forwardMacsPerImage());
                startEv.put("planned_peak_bytes", mp.peakBytes());
                if (saved != null) {
                    startEv.put("resumed_epochs_completed", first);
                }
                RunFiles.gitCommit().ifPresent(h -> startEv.put("git_commit", h));
                log.write(startEv);
                LOG.info(String.format(Locale.ROOT, "spidernet train: %s%s, %s, C=%d R=%d, %d params, %d train / %d val / %d test images, planned memory %.1f MiB, out %s",
                        saved != null ? "resuming after epoch " + first + " of " + cfg.epochs() + ", " : "", be.name(),
                        datasetName, genome.channels(), genome.reductions(), plan.parameterCount(),
                        hold.train().count(), hold.validation().count(), split.test().count(), mp.peakBytes() / 1048576.0, outDir));
                if (saved != null) {
                    // the killed run may have written a row for the epoch it did not finish checkpointing
                    files.restoreMetrics(trainer.history());
                }

                Runnable checkpoint = () -> {
                    int done = trainer.history().size();
                    try {
                        new TrainCheckpoint(cfg, source, genome, net.exportResumable(), trainer.state(),
                                hold.train().count(), hold.validation().count(), split.test().count(),
                                elapsedBefore + (System.nanoTime() - start) / 1e9,
                                Math.max(peakBefore, be.memory().peakBytes())).write(outDir.resolve(CHECKPOINT));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("cannot write checkpoint " + outDir.resolve(CHECKPOINT), e);
                    }
                    ObjectNode ck = log.event("checkpoint");
                    if (done > 0) {
                        ck.put("epoch", done - 1);
                    }
                    ck.put("epochs_completed", done);
                    ck.put("path", outDir.resolve(CHECKPOINT).toString());
                    log.write(ck);
                };
                if (saved == null) {
                    // a run killed in its first epoch resumes from here instead of starting over
                    checkpoint.run();
                }
                TrainingListener progress = new ProgressDisplay(cfg.epochs(), !noProgress && !logging.quiet);
                TrainingListener listener = new TrainingListener() {
                    @Override
                    public void epochStarted(int epoch, int steps) {
                        progress.epochStarted(epoch, steps);
                    }

                    @Override
                    public void stepFinished(int epoch, int step, double loss) {
                        progress.stepFinished(epoch, step, loss);
                    }

                    @Override
                    public void epochFinished(EpochMetrics m) {
                        progress.epochFinished(m);
                        ObjectNode ev = log.event("epoch");
                        ev.setAll((ObjectNode) files.mapper().valueToTree(m));
                        log.write(ev);
                        files.appendMetrics(m);
                        checkpoint.run();
                        if (m.epoch() + 1 == crashAfterEpochs) {
                            throw new IllegalStateException("crash after epoch " + m.epoch() + " (test hook)");
                        }
                    }

                    @Override
                    public void opsDeleted(int epoch, List<String> labels) {
                        ObjectNode ev = log.event("ops_deleted");
                        ev.put("epoch", epoch);
                        ArrayNode arr = ev.putArray("ops");
                        labels.forEach(arr::add);
                        log.write(ev);
                    }
                };
                List<EpochMetrics> history;
                try {
                    history = trainer.run(first, hold.validation(), listener);
                } catch (RuntimeException e) {
                    ObjectNode fail = log.event("run_failed");
                    fail.put("error", String.valueOf(e.getMessage()));
                    log.write(fail);
                    throw e;
                }
                Evaluation test = trainer.evaluate(split.test());
                SavedModel.save(outDir, ModelManifest.of(ArchitectureSpaces.require(SpaceNetwork.SPIDERNET), datasetName,
                        hold.train(), stats, be.name(), batch), GenomeJson.write(genome), net.exportForInference());
                double wall = elapsedBefore + (System.nanoTime() - start) / 1e9;
                EpochMetrics last = history.get(history.size() - 1);
                ObjectNode summary = files.mapper().createObjectNode();
                summary.put("command", "train");
                summary.put("dataset", datasetName);
                summary.put("backend", be.name());
                summary.put("test_accuracy", test.accuracy());
                summary.put("test_loss", test.loss());
                summary.put("validation_accuracy", last.validationAccuracy());
                summary.put("train_accuracy", last.trainAccuracy());
                summary.put("params", plan.parameterCount());
                summary.put("edges", genome.edgeCount());
                summary.put("ops_deleted", trainer.prunedCount());
                summary.put("epochs", cfg.epochs());
                summary.put("batch", batch);
                summary.put("channels", genome.channels());
                summary.put("reductions", genome.reductions());
                summary.put("seed", seed);
                summary.put("train_images", hold.train().count());
                summary.put("wall_seconds", wall);
                summary.put("train_images_per_second", last.imagesPerSecond());
                summary.put("planned_peak_bytes", mp.peakBytes());
                summary.put("measured_peak_bytes", Math.max(peakBefore, be.memory().peakBytes()));
                summary.put("macs_per_image", plan.forwardMacsPerImage());
                AtomicFiles.writeString(outDir.resolve(SUMMARY), files.mapper().writeValueAsString(summary));
                ObjectNode end = log.event("run_end");
                end.setAll(summary);
                log.write(end);
                System.out.printf("test accuracy %.4f (%d images), %d params, %d epochs, %.1f s on %s; results in %s%n",
                        test.accuracy(), test.count(), plan.parameterCount(), cfg.epochs(), wall, be.name(), outDir);
            }
        }
        return 0;
    }

    /**
     * The checkpoint of the run {@code --resume} names, after refusing every flag that would
     * change the run and a directory that is not an unfinished train run (exit 2); a damaged
     * checkpoint is an error naming its file (exit 1), unless the previous one is good.
     */
    private TrainCheckpoint resumable() throws java.io.IOException {
        ResumeFlags.check(spec, resume);
        if (!CheckpointStore.exists(resume.resolve(CHECKPOINT))) {
            throw bad("--resume " + resume + ": not a train run (no " + CHECKPOINT + "/" + Checkpoint.STATE + ")");
        }
        // checkpoint/, or checkpoint.previous/ when checkpoint/ does not verify; neither: exit 1 naming both faults
        resumedFrom = CheckpointStore.resolve(resume.resolve(CHECKPOINT));
        Path ck = resumedFrom.dir();
        String kind = TrainCheckpoint.kind(ck);
        if (kind == null) {
            throw bad("--resume " + resume + ": not a train run (no " + CHECKPOINT + "/" + Checkpoint.STATE + ")");
        }
        if (kind.equals("search")) {
            throw bad("--resume " + resume + ": a search run, not a train run (continue it with search --resume)");
        }
        if (Files.exists(resume.resolve(SUMMARY))) {
            throw bad("--resume " + resume + ": this train run has already finished (see its " + SUMMARY + ")");
        }
        return TrainCheckpoint.read(ck);
    }

    /** Refuses to resume on data that is not what the run was trained on (a dataset directory changed since). */
    private static void checkSameData(TrainCheckpoint saved, String datasetName, HoldoutSplit hold, DatasetSplit split,
                                      Genome genome, InputSpec input) throws java.io.IOException {
        if (hold.train().count() != saved.trainImages() || hold.validation().count() != saved.validationImages()
                || split.test().count() != saved.testImages() || !genome.input().equals(input)) {
            throw new java.io.IOException(datasetName + " now gives " + hold.train().count() + " train / "
                    + hold.validation().count() + " validation / " + split.test().count() + " test images of " + input
                    + ", but the run being resumed had " + saved.trainImages() + " / " + saved.validationImages() + " / "
                    + saved.testImages() + " of " + genome.input() + "; has its dataset directory changed?");
        }
    }

    /** Weights, momentum and trainer state from the checkpoint; a part that does not fit the genome names its file. */
    private static void restore(Network net, Trainer trainer, TrainCheckpoint saved, Path ck) throws java.io.IOException {
        try {
            net.importState(saved.tensors());
            net.importMomentum(saved.tensors());
        } catch (IllegalArgumentException e) {
            throw new java.io.IOException(ck.resolve(Checkpoint.WEIGHTS) + ": does not fit the checkpoint's genome ("
                    + e.getMessage() + ")", e);
        }
        try {
            trainer.restore(saved.trainer());
        } catch (IllegalArgumentException e) {
            throw new java.io.IOException(ck.resolve(Checkpoint.STATE) + ": the trainer state does not fit the checkpoint's genome ("
                    + e.getMessage() + ")", e);
        }
    }
}
