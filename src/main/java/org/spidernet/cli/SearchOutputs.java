package org.spidernet.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.search.AlphaRecord;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.data.ImageDataset;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.CellDiagram;
import org.spidernet.io.LinePlot;
import org.spidernet.io.ScatterPlot;
import org.spidernet.io.EventLog;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.CandidateDecision;
import org.spidernet.search.CandidateRecord;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.MutationRound;
import org.spidernet.search.RoundRollback;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchStrategies;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Map;

/**
 * Everything a search writes while it runs and when it ends: the event log (every candidate with
 * its scores and the decision, accepted splits, memory planned and measured per iteration, epoch
 * metrics), {@code iterations.csv}, the checkpoint after every epoch and mutation round, and at the
 * end the found genome, its weights and the summary.
 */
final class SearchOutputs implements SearchRun.Observer {
    private static final Logger LOG = LoggerFactory.getLogger(SearchOutputs.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final EventLog log;
    private final SearchConfig config;
    private final long startNanos;
    private final double elapsedBefore;
    /** No progress bars (--no-progress or --quiet); what is logged is the log level's business. */
    private final boolean noBars;
    private final StringBuilder iterationsCsv = new StringBuilder(
            "iteration,edges,ops,params,planned_peak_bytes,measured_peak_bytes,validation_accuracy,ops_deleted,splits_accepted,seconds\n");
    private Map<String, double[]> lastFinalTensors;

    SearchOutputs(Path dir, EventLog log, SearchConfig config, long startNanos, double elapsedBefore, boolean noBars) {
        this.dir = dir;
        this.log = log;
        this.config = config;
        this.startNanos = startNanos;
        this.elapsedBefore = elapsedBefore;
        this.noBars = noBars;
    }

    double elapsed() {
        return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void roundFinished(int iteration, MutationRound round) {
        for (CandidateRecord c : round.candidates()) {
            ObjectNode ev = log.event("candidate");
            ev.put("after_iteration", iteration);
            ev.put("cell", c.split().cell());
            ev.put("edge", c.split().from() + "->" + c.split().to());
            ev.put("decision", c.decision().name());
            putAll(ev.putObject("deltas"), c.deltas());
            putAll(ev.putObject("child"), c.child());
            putAll(ev.putObject("parent"), c.parent());
            if (!Double.isNaN(c.score())) {
                ev.put("score", c.score());
            }
            if (c.plannedPeakBytes() >= 0) {
                ev.put("planned_peak_bytes", c.plannedPeakBytes());
            }
            if (!c.reason().isEmpty()) {
                ev.put("reason", c.reason());
            }
            log.write(ev);
        }
        ObjectNode ev = log.event("mutation_round");
        ev.put("after_iteration", iteration);
        ArrayNode acc = ev.putArray("accepted");
        round.accepted().forEach(s -> acc.add("cell " + s.cell() + " edge " + s.from() + "->" + s.to()));
        ev.put("edges", round.genome().edgeCount());
        log.write(ev);
        long outOfMemory = round.candidates().stream().filter(c -> c.decision() == CandidateDecision.OUT_OF_MEMORY).count();
        LOG.info(String.format(Locale.ROOT, "mutation round after iteration %d: %d candidates%s, accepted %s, %d edges now",
                iteration, round.candidates().size(), outOfMemory > 0 ? " (" + outOfMemory + " out of device memory)" : "",
                round.accepted(), round.genome().edgeCount()));
    }

    /**
     * Logs a grown network the device could not hold: one {@code candidate} event per undone split
     * (decision {@code ROLLED_BACK}), then a {@code round_rolled_back} event with the figures.
     */
    @Override
    public void rolledBack(RoundRollback r) {
        String reason = "the network it grew (planned peak " + r.plannedPeakBytes() + " B) ran out of device memory in training";
        for (EdgeSplit split : r.rejected()) {
            ObjectNode ev = log.event("candidate");
            ev.put("after_iteration", r.iteration() - 1);
            ev.put("cell", split.cell());
            ev.put("edge", split.from() + "->" + split.to());
            ev.put("decision", CandidateDecision.ROLLED_BACK.name());
            ev.put("reason", reason);
            log.write(ev);
        }
        ObjectNode ev = log.event("round_rolled_back");
        ev.put("iteration", r.iteration());
        ArrayNode rejected = ev.putArray("rejected");
        r.rejected().forEach(s -> rejected.add("cell " + s.cell() + " edge " + s.from() + "->" + s.to()));
        ev.put("failed_edges", r.failed().edgeCount());
        ev.put("parent_edges", r.parent().edgeCount());
        ev.put("planned_peak_bytes", r.plannedPeakBytes());
        ev.put("memory_budget_before_bytes", r.budgetBefore());
        ev.put("memory_budget_after_bytes", r.budgetAfter());
        ev.put("error", r.error());
        log.write(ev);
        LOG.warn(String.format(Locale.ROOT, "iteration %d: out of device memory training %d edges (planned %s): rolled back %s, memory budget %s -> %s",
                r.iteration(), r.failed().edgeCount(), ByteSize.format(r.plannedPeakBytes()),
                r.rejected().isEmpty() ? "the random sample" : r.rejected().toString(), ByteSize.format(r.budgetBefore()),
                ByteSize.format(r.budgetAfter())));
    }

    private static void putAll(ObjectNode n, Map<String, Double> values) {
        values.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                n.put(k, v);
            } else {
                n.put(k, String.valueOf(v));
            }
        });
    }

    /**
     * Logs the groups' weights after the iteration as an {@code alphas} event, rewrites
     * {@code alphas.json} (every iteration so far) and plots each group's mean weight per op over
     * the iterations ({@code alphas-<group>.png}).
     */
    @Override
    public void architectureWeights(List<AlphaRecord> latest, List<AlphaRecord> all) {
        for (AlphaRecord r : latest) {
            ObjectNode ev = log.event("alphas");
            ev.put("iteration", r.iteration());
            ev.put("group", r.group());
            ev.set("choices", MAPPER.valueToTree(r.choices()));
            ev.set("weights", MAPPER.valueToTree(r.weights()));
            log.write(ev);
        }
        try {
            AtomicFiles.writeString(dir.resolve("alphas.json"), MAPPER.writeValueAsString(all));
            Map<String, List<AlphaRecord>> byGroup = new LinkedHashMap<>();
            for (AlphaRecord r : all) {
                byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<String, List<AlphaRecord>> e : byGroup.entrySet()) {
                List<AlphaRecord> rs = e.getValue();
                double[] x = new double[rs.size()];
                LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
                for (String c : rs.get(0).choices()) {
                    series.put(c, new double[rs.size()]);
                }
                for (int i = 0; i < rs.size(); i++) {
                    x[i] = rs.get(i).iteration();
                    double[] mean = rs.get(i).meanByChoice();
                    for (int k = 0; k < mean.length; k++) {
                        series.get(rs.get(i).choices().get(k))[i] = mean[k];
                    }
                }
                LinePlot.write(dir.resolve("alphas-" + e.getKey() + ".png"), "Mean softmax weight per op, " + e.getKey()
                        + " cells", "iteration", "weight", x, series);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the alpha records", e);
        }
    }

    @Override
    public void iterationFinished(IterationRecord r) {
        ObjectNode ev = log.event("iteration");
        ev.setAll((ObjectNode) MAPPER.valueToTree(r));
        log.write(ev);
        iterationsCsv.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%.6f,%d,%d,%.1f%n", r.iteration(), r.edges(),
                r.ops(), r.params(), r.plannedPeakBytes(), r.measuredPeakBytes(), r.validationAccuracy(), r.opsDeleted(),
                r.splitsAccepted(), r.seconds()));
        try {
            AtomicFiles.writeString(dir.resolve("iterations.csv"), iterationsCsv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write iterations.csv", e);
        }
        LOG.info(String.format(Locale.ROOT, "iteration %d: %d edges, %d params, val acc %.4f, planned %s / measured %s",
                r.iteration(), r.edges(), r.params(), r.validationAccuracy(), ByteSize.format(r.plannedPeakBytes()),
                ByteSize.format(r.measuredPeakBytes())));
    }

    /** The strategy's own record, written whole (atomically) into the run directory. */
    @Override
    public void strategyRecord(String fileName, Object value) {
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains(java.io.File.separator)) {
            throw new IllegalArgumentException("a strategy record's file must be a plain name, got '" + fileName + "'");
        }
        try {
            AtomicFiles.writeString(dir.resolve(fileName), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + fileName, e);
        }
    }

    @Override
    public void strategyPlot(String fileName, String title, String xLabel, String yLabel, double[] x,
                             LinkedHashMap<String, double[]> series) {
        writePlot(fileName, png -> LinePlot.write(png, title, xLabel, yLabel, x, series));
    }

    @Override
    public void strategyScatter(String fileName, String title, String xLabel, String yLabel, List<ScatterPlot.Group> groups) {
        writePlot(fileName, png -> ScatterPlot.write(png, title, xLabel, yLabel, groups));
    }

    private interface PlotWriter {
        void write(java.nio.file.Path png) throws IOException;
    }

    /** A strategy's plot: a plain file name ending in .png in the run directory. */
    private void writePlot(String fileName, PlotWriter plot) {
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains(java.io.File.separator) || !fileName.endsWith(".png")) {
            throw new IllegalArgumentException("a strategy plot's file must be a plain name ending in .png, got '" + fileName + "'");
        }
        try {
            plot.write(dir.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + fileName, e);
        }
    }

    /** Rebuilds iterations.csv from the history carried by a resumed snapshot. */
    void restoreHistory(List<IterationRecord> history) {
        for (IterationRecord r : history) {
            iterationsCsv.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%.6f,%d,%d,%.1f%n", r.iteration(), r.edges(),
                    r.ops(), r.params(), r.plannedPeakBytes(), r.measuredPeakBytes(), r.validationAccuracy(),
                    r.opsDeleted(), r.splitsAccepted(), r.seconds()));
        }
    }

    @Override
    public void snapshot(SearchSnapshot s) {
        try {
            SearchCheckpoint.write(dir.resolve("checkpoint"), s, config, elapsed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir.resolve("checkpoint"), e);
        }
        if (s.phase() == SearchPhase.FINAL_TRAINING && s.epochsCompleted() > 0) {
            lastFinalTensors = s.tensors();
        }
        ObjectNode ev = log.event("checkpoint");
        ev.put("phase", s.phase().name());
        ev.put("iteration", s.iteration());
        ev.put("epochs_completed", s.epochsCompleted());
        log.write(ev);
    }

    @Override
    public TrainingListener training(SearchPhase phase, int iteration, int epochs) {
        TrainingListener bar = new ProgressDisplay(epochs, !noBars);
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int steps) {
                bar.epochStarted(epoch, steps);
            }

            @Override
            public void stepFinished(int epoch, int step, double loss) {
                bar.stepFinished(epoch, step, loss);
            }

            @Override
            public void epochFinished(EpochMetrics m) {
                bar.epochFinished(m);
                ObjectNode ev = log.event("epoch");
                ev.put("phase", phase.name());
                ev.put("iteration", iteration);
                ev.setAll((ObjectNode) MAPPER.valueToTree(m));
                log.write(ev);
            }

            @Override
            public void opsDeleted(int epoch, List<String> labels) {
                ObjectNode ev = log.event("ops_deleted");
                ev.put("phase", phase.name());
                ev.put("iteration", iteration);
                ev.put("epoch", epoch);
                ArrayNode arr = ev.putArray("ops");
                labels.forEach(arr::add);
                log.write(ev);
            }
        };
    }

    @Override
    public void stopped(String reason) {
        ObjectNode ev = log.event("stopped");
        ev.put("reason", reason);
        log.write(ev);
        LOG.info("search stopped: {}", reason);
    }

    /** Validation accuracy, parameters and memory per search iteration, as PNG line plots. */
    private void writePlots(List<IterationRecord> history) throws IOException {
        if (history.isEmpty()) {
            return;
        }
        int n = history.size();
        double[] x = new double[n];
        double[] acc = new double[n];
        double[] params = new double[n];
        double[] planned = new double[n];
        double[] measured = new double[n];
        for (int i = 0; i < n; i++) {
            IterationRecord r = history.get(i);
            x[i] = r.iteration();
            acc[i] = r.validationAccuracy();
            params[i] = r.params();
            planned[i] = r.plannedPeakBytes() / 1048576.0;
            measured[i] = r.measuredPeakBytes() / 1048576.0;
        }
        LinkedHashMap<String, double[]> a = new LinkedHashMap<>();
        a.put("validation accuracy", acc);
        LinePlot.write(dir.resolve("accuracy.png"), "Validation accuracy per iteration", "iteration", "accuracy", x, a);
        LinkedHashMap<String, double[]> p = new LinkedHashMap<>();
        p.put("parameters", params);
        LinePlot.write(dir.resolve("params.png"), "Parameters per iteration", "iteration", "parameters", x, p);
        LinkedHashMap<String, double[]> m = new LinkedHashMap<>();
        m.put("planned peak", planned);
        m.put("measured peak", measured);
        LinePlot.write(dir.resolve("memory.png"), "Training memory per iteration", "iteration", "MiB", x, m);
    }

    /** Marks the checkpoint finished, so a later --resume says so instead of training again. */
    void markDone(SearchRun.Result r) {
        snapshot(new SearchSnapshot(SearchPhase.DONE, r.iterations(), r.network(), 0, lastFinalTensors, null, r.history(),
                null, Double.NaN, r.stopReason(), null, List.of(), r.memoryBudgetBytes(), r.outOfMemoryRollbacks()));
    }

    /**
     * Writes the found network (in its space's file, with its space's diagrams), its trained
     * weights and the summary, and logs the end of the run.
     */
    void finish(SearchRun.Result r, SearchConfig cfg, String backend, Genome initial, String dataset,
                ImageDataset trainingImages) throws IOException {
        ArchitectureSpace space = ArchitectureSpaces.require(r.network().space());
        SavedModel.save(dir, ModelManifest.of(space, dataset, trainingImages, trainingImages.channelStats(), backend,
                cfg.train().batch()),
                r.network().json(), r.weights());
        space.draw(r.network().json(), dir).flatMap(CellDiagram.Written::note)
                .ifPresent(n -> LOG.info("diagram: {}", n));
        Map<String, Object> described = space.describe(r.network().json());
        writePlots(r.history());
        double wall = elapsed();
        ObjectNode summary = MAPPER.createObjectNode();
        summary.put("command", "search");
        summary.put("strategy", cfg.strategy());
        summary.put("backend", backend);
        summary.put("test_accuracy", r.test().accuracy());
        summary.put("test_loss", r.test().loss());
        summary.put("params", r.params());
        summary.put("space", space.name());
        described.forEach((k, v) -> summary.set(k, MAPPER.valueToTree(v)));
        if (r.network().isGenome()) {
            summary.put("initial_edges", initial.edgeCount());
        }
        summary.put("iterations", r.iterations());
        summary.put("search_images", SearchStrategies.byName(cfg.strategy()).imagesSeen(cfg, r.iterations(), trainingImages.count()));
        summary.put("peak_memory_bytes", r.plannedPeakBytes());
        summary.put("measured_peak_bytes", r.measuredPeakBytes());
        summary.put("memory_budget_bytes", cfg.memoryBudgetBytes());
        summary.put("effective_memory_budget_bytes", r.memoryBudgetBytes());
        summary.put("out_of_memory_rollbacks", r.outOfMemoryRollbacks());
        summary.put("final_epochs", cfg.finalEpochs());
        summary.put("final_ops_deleted", r.finalOpsDeleted());
        summary.put("wall_seconds", wall);
        summary.put("seed", cfg.seed());
        if (r.stopReason() != null) {
            summary.put("stop_reason", r.stopReason());
        }
        summary.set("config", MAPPER.valueToTree(config));
        AtomicFiles.writeString(dir.resolve("summary.json"), MAPPER.writeValueAsString(summary));
        ObjectNode end = log.event("run_end");
        end.setAll(summary);
        log.write(end);
        String shape = r.network().isGenome()
                ? String.format(Locale.ROOT, "%d edges (initial %d)", r.genome().edgeCount(), initial.edgeCount())
                : space.name() + " " + space.fileName();
        System.out.printf(Locale.ROOT, "found net: %s, %d params, test accuracy %.4f after %d final epochs; %d iterations, %.1f s; results in %s%n",
                shape, r.params(), r.test().accuracy(), cfg.finalEpochs(), r.iterations(), wall, dir);
    }
}
