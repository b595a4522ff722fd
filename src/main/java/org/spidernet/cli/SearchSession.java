package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.io.CheckpointStore;
import org.spidernet.io.EventLog;
import org.spidernet.io.OutputDirectory;
import org.spidernet.io.RunDirectoryLock;
import org.spidernet.data.TrainingData;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.InProcessEvaluation;
import org.spidernet.jobs.RunEnvironment;
import org.spidernet.jobs.RunJobs;
import org.spidernet.search.JobCandidateScorer;
import org.spidernet.search.ScoreSplitJob;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One search run into its directory, from the start or from its checkpoint: the lock, the run's
 * log file, the event log, the search and its standard outputs ({@link SearchOutputs}). What
 * {@code spidernet search} runs once and {@code spidernet experiment} runs per (strategy, seed)
 * pair, so both write the same files.
 */
final class SearchSession {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSession.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SearchSession() {
    }

    /**
     * A run's last checkpoint, read for a resume: {@code checkpoint/}, or {@code checkpoint.previous/}
     * when {@code checkpoint/} does not verify (neither: an exception naming both faults).
     */
    record Resumed(SearchSnapshot snapshot, SearchConfig config, double elapsedBefore, CheckpointStore.Resolved from) {
        static Resumed read(Path dir) throws IOException {
            RunDirectoryLock.checkNotInUse(dir); // before reading a checkpoint the holder may be replacing
            return read(CheckpointStore.resolve(dir.resolve("checkpoint")));
        }

        /** Reads the checkpoint {@link CheckpointStore#resolve} chose (already verified). */
        static Resumed read(CheckpointStore.Resolved from) throws IOException {
            Path ck = from.dir();
            return new Resumed(SearchCheckpoint.read(ck), SearchCheckpoint.config(ck), SearchCheckpoint.elapsedSeconds(ck), from);
        }
    }

    /**
     * Runs the search {@code cfg} describes into {@code outDir} (new or empty, or the directory of
     * {@code resumed}), started at {@code startNanos}, and returns its result once the outputs are
     * written. Its batches of independent jobs run on {@code jobs} (null: in-process, on the run's
     * backend).
     */
    static SearchRun.Result run(SearchConfig cfg, BackendProvider provider, RunData rd, Path outDir, Resumed resumed,
                                EvaluationService jobs, boolean noBars, long startNanos) throws Exception {
        SearchSnapshot snapshot = resumed != null ? resumed.snapshot() : null;
        double elapsedBefore = resumed != null ? resumed.elapsedBefore() : 0;
        SearchConfig.Source source = cfg.source();
        TrainConfig tc = cfg.train();
        HoldoutSplit hold = rd.hold();
        long budget = cfg.memoryBudgetBytes();
        Long deviceCapacity = source.deviceMemoryBytes();
        ObjectNode config = MAPPER.valueToTree(cfg);
        try (Backend be = deviceCapacity != null ? provider.open(deviceCapacity) : provider.open()) {
            try (RunDirectoryLock lock = resumed == null ? OutputDirectory.lockForNewRun(outDir) : RunDirectoryLock.acquire(outDir);
                 AutoCloseable runLog = LogSetup.runFile(outDir);
                 EventLog log = new EventLog(outDir.resolve(OutputDirectory.EVENTS))) {
                SearchOutputs outputs = new SearchOutputs(outDir, log, cfg, startNanos, elapsedBefore, noBars);
                if (snapshot != null) {
                    outputs.restoreHistory(snapshot.history());
                    if (resumed.from().fellBack()) {
                        String position = snapshot.phase() + ", iteration " + snapshot.iteration() + ", epoch "
                                + snapshot.epochsCompleted();
                        LOG.warn(resumed.from().fallbackLine(position));
                        resumed.from().logFallback(log, position);
                    }
                }
                DataRef dataRef = new DataRef(rd.name(), source.data(), source.limitTrain(), tc.validation(), tc.batch());
                BackendRef backendRef = new BackendRef(provider.name(), deviceCapacity);
                EvaluationService evaluation = jobs != null ? jobs : new InProcessEvaluation(
                        new RunEnvironment(be, backendRef, new TrainingData(rd.name(), rd.split(), hold), dataRef));
                SearchRun run = new SearchRun(cfg, be, hold.train(), hold.validation(), rd.split().test(),
                        new JobCandidateScorer(evaluation, new ScoreSplitJob.Settings(cfg.metrics(), cfg.inits(),
                                cfg.scoring(), dataRef, backendRef)), outputs, new RunJobs(evaluation, dataRef, backendRef));
                ObjectNode ev = log.event(resumed != null ? "run_resumed" : "run_start");
                ev.put("command", "search");
                ev.put("strategy", cfg.strategy());
                ev.put("backend", be.name());
                ev.put("evaluation", evaluation.description());
                ev.put("dataset", rd.name());
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
                if (run.startsFromInitial()) {
                    ev.put("initial_planned_peak_bytes", run.budget().plannedPeak(run.initialGenome()));
                }
                RunFiles.gitCommit().ifPresent(h -> ev.put("git_commit", h));
                if (snapshot != null) {
                    ev.put("resumed_phase", snapshot.phase().name());
                    ev.put("resumed_iteration", snapshot.iteration());
                    ev.put("resumed_epochs_completed", snapshot.epochsCompleted());
                }
                log.write(ev);
                // R shapes only the networks grown from the space's initial net; another space has its own shapes
                String shape = run.sampledSpace().map(SampledSpace::description).orElse(run.startsFromInitial()
                        ? "C=" + cfg.channels() + " R=" + cfg.reductions() : "C=" + cfg.channels());
                LOG.info(String.format(Locale.ROOT, "spidernet search: %s%s on %s, %s, %s, %d iterations x %d epochs, final %d epochs, budget %s%s%s, out %s",
                        cfg.strategy(), cfg.options().isEmpty() ? "" : " " + cfg.options(), be.name(), rd.name(),
                        shape, cfg.iterations(), tc.epochs(),
                        cfg.finalEpochs(), ByteSize.format(budget),
                        deviceCapacity != null ? ", emulated device " + ByteSize.format(deviceCapacity) : "",
                        jobs != null ? ", jobs on " + jobs.description() : "", outDir));
                SearchRun.Result result;
                try {
                    result = run.run(snapshot, elapsedBefore);
                } catch (RuntimeException e) {
                    ObjectNode fail = log.event("run_failed");
                    fail.put("error", String.valueOf(e.getMessage()));
                    log.write(fail);
                    throw e;
                }
                outputs.finish(result, cfg, be.name(), run.initialGenome(), rd.name(), hold.train());
                outputs.markDone(result);
                return result;
            }
        }
    }
}
