package org.spidernet.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.CheckpointStore;
import org.spidernet.io.EventLog;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchPhase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an experiment's pairs in plan order into {@code DIR/pairs/<label>-s<seed>/}, or continues
 * one: each pair's directory says where it stands. A finished search (its checkpoint marked done)
 * or a recorded failure ({@value #FAILURE}) is never run again; a search with a checkpoint is
 * resumed from it; a directory without one (killed before its first checkpoint) is cleared and
 * the pair started afresh. Every start, resume, skip, end and failure is an event in the
 * experiment's log and one line of progress.
 */
public final class ExperimentRun {
    public static final String PAIRS = "pairs";
    /** Written into a pair's directory when its search failed: the failure, kept so a resume does not retry it. */
    public static final String FAILURE = "failure.json";
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRun.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<Pair, SearchConfig> configs;
    private final Path dir;
    private final PairSearch search;
    private final EventLog log;

    /** {@code configs}: every pair in run order with its resolved search ({@link ExperimentPlan#configs}). */
    public ExperimentRun(Map<Pair, SearchConfig> configs, Path dir, PairSearch search, EventLog log) {
        this.configs = configs;
        this.dir = dir;
        this.search = search;
        this.log = log;
    }

    public static Path pairDirectory(Path experiment, Pair pair) {
        return experiment.resolve(PAIRS).resolve(pair.directoryName());
    }

    /** Runs (or skips) every pair and returns their results in run order. */
    public List<PairResult> run() throws Exception {
        List<PairResult> results = new ArrayList<>();
        int k = 0;
        for (Map.Entry<Pair, SearchConfig> e : configs.entrySet()) {
            k++;
            results.add(runPair(e.getKey(), e.getValue(), String.format(Locale.ROOT, "pair %d/%d %s", k, configs.size(), e.getKey())));
        }
        return results;
    }

    private PairResult runPair(Pair p, SearchConfig cfg, String name) throws Exception {
        Path pd = pairDirectory(dir, p);
        Path failure = pd.resolve(FAILURE);
        if (Files.exists(failure)) {
            PairResult r = PairResult.failed(p, MAPPER.readTree(failure.toFile()).path("error").asText(null));
            log.write(event("pair_skipped", p).put("reason", "failed in an earlier run: " + r.error()));
            LOG.info("experiment: {}: failed in an earlier run, not retried ({})", name, r.error());
            return r;
        }
        Path ck = pd.resolve("checkpoint");
        boolean resume = false;
        if (CheckpointStore.exists(ck)) {
            SearchPhase phase = SearchCheckpoint.read(CheckpointStore.resolve(ck).dir()).phase();
            if (phase == SearchPhase.DONE) {
                PairResult r = PairResult.fromSummary(p, pd.resolve("summary.json"));
                log.write(event("pair_skipped", p).put("reason", "finished in an earlier run"));
                LOG.info("experiment: {}: finished in an earlier run (test accuracy {})", name,
                        Measure.TEST_ACCURACY.format(r.value(Measure.TEST_ACCURACY)));
                return r;
            }
            resume = true;
        }
        // a directory without a checkpoint was killed before its first one: the fresh search takes it over
        log.write(event(resume ? "pair_resumed" : "pair_start", p).put("dir", dir.relativize(pd).toString()));
        LOG.info("experiment: {}: {} ({})", name, resume ? "resuming from its checkpoint" : "starting", dir.relativize(pd));
        try {
            if (resume) {
                search.resume(p, pd);
            } else {
                search.start(p, cfg, pd);
            }
        } catch (IOException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            String msg = e.getMessage() != null ? e.getMessage().replaceAll("\\R", " ") : e.getClass().getSimpleName();
            ObjectNode f = MAPPER.createObjectNode();
            f.put("strategy", p.strategy().label());
            f.put("seed", p.seed());
            f.put("error_type", e.getClass().getName());
            f.put("error", msg);
            AtomicFiles.writeString(failure, MAPPER.writeValueAsString(f) + "\n");
            ObjectNode ev = event("pair_failed", p);
            ev.put("error_type", e.getClass().getName());
            ev.put("error", msg);
            log.write(ev);
            LOG.warn("experiment: {}: failed, left out of the statistics: {}", name, msg);
            LOG.debug("the failure's stack trace", e);
            return PairResult.failed(p, msg);
        }
        PairResult r = PairResult.fromSummary(p, pd.resolve("summary.json"));
        ObjectNode ev = event("pair_end", p);
        for (Measure m : Measure.values()) {
            if (!Double.isNaN(r.value(m))) {
                ev.put(m.column, r.value(m));
            }
        }
        log.write(ev);
        LOG.info("experiment: {}: done, test accuracy {}, {} params, {} s", name, Measure.TEST_ACCURACY.format(r.value(Measure.TEST_ACCURACY)),
                Measure.PARAMS.format(r.value(Measure.PARAMS)), Measure.WALL_SECONDS.format(r.value(Measure.WALL_SECONDS)));
        return r;
    }

    /** A new event about {@code p}, to fill and write. */
    private ObjectNode event(String name, Pair p) {
        ObjectNode ev = log.event(name);
        ev.put("strategy", p.strategy().label());
        ev.put("seed", p.seed());
        return ev;
    }
}
