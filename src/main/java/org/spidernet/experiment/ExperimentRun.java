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

    /**
     * Runs (or skips) every pair and returns their results in run order: one after the other, or,
     * when the pair search runs several at once, every pair still to run in one batch.
     */
    public List<PairResult> run() throws Exception {
        List<PairResult> results = new ArrayList<>();
        List<PendingPair> pending = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean batched = search.parallelism() > 1;
        int k = 0;
        for (Map.Entry<Pair, SearchConfig> e : configs.entrySet()) {
            k++;
            String name = String.format(Locale.ROOT, "pair %d/%d %s", k, configs.size(), e.getKey());
            PairResult done = earlier(e.getKey(), name);
            if (done != null) {
                results.add(done);
                continue;
            }
            PendingPair p = started(e.getKey(), e.getValue(), name);
            if (!batched) {
                results.add(runPair(p, name));
                continue;
            }
            results.add(null); // filled in below, in run order
            pending.add(p);
            names.add(name);
        }
        if (!pending.isEmpty()) {
            LOG.info("experiment: {} pairs run at once ({} at a time)", pending.size(), search.parallelism());
            List<PairFailure> failures = search.runAll(pending);
            for (int i = 0, at = 0; i < pending.size(); i++, at++) {
                while (results.get(at) != null) {
                    at++;
                }
                PendingPair p = pending.get(i);
                results.set(at, failures.get(i) == null ? finished(p, names.get(i)) : failed(p, names.get(i), failures.get(i)));
            }
        }
        return results;
    }

    /** The result of a pair finished or failed in an earlier run (logged as skipped), or null when it is still to run. */
    private PairResult earlier(Pair p, String name) throws IOException {
        Path pd = pairDirectory(dir, p);
        Path failure = pd.resolve(FAILURE);
        if (Files.exists(failure)) {
            PairResult r = PairResult.failed(p, MAPPER.readTree(failure.toFile()).path("error").asText(null));
            log.write(event("pair_skipped", p).put("reason", "failed in an earlier run: " + r.error()));
            LOG.info("experiment: {}: failed in an earlier run, not retried ({})", name, r.error());
            return r;
        }
        Path ck = pd.resolve("checkpoint");
        if (CheckpointStore.exists(ck) && SearchCheckpoint.read(CheckpointStore.resolve(ck).dir()).phase() == SearchPhase.DONE) {
            PairResult r = PairResult.fromSummary(p, pd.resolve("summary.json"));
            log.write(event("pair_skipped", p).put("reason", "finished in an earlier run"));
            LOG.info("experiment: {}: finished in an earlier run (test accuracy {})", name,
                    Measure.TEST_ACCURACY.format(r.value(Measure.TEST_ACCURACY)));
            return r;
        }
        return null;
    }

    /** The pair about to run, resumed when it has a checkpoint, logged as started or resumed. */
    private PendingPair started(Pair p, SearchConfig cfg, String name) throws IOException {
        Path pd = pairDirectory(dir, p);
        // a directory without a checkpoint was killed before its first one: the fresh search takes it over
        boolean resume = CheckpointStore.exists(pd.resolve("checkpoint"));
        log.write(event(resume ? "pair_resumed" : "pair_start", p).put("dir", dir.relativize(pd).toString()));
        LOG.info("experiment: {}: {} ({})", name, resume ? "resuming from its checkpoint" : "starting", dir.relativize(pd));
        return new PendingPair(p, cfg, pd, resume);
    }

    private PairResult runPair(PendingPair p, String name) throws Exception {
        try {
            if (p.resume()) {
                search.resume(p.pair(), p.dir());
            } else {
                search.start(p.pair(), p.config(), p.dir());
            }
        } catch (IOException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("the failure's stack trace", e);
            return failed(p, name, new PairFailure(e.getClass().getName(),
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
        return finished(p, name);
    }

    /** Records a failed pair ({@value #FAILURE}, so a resume does not retry it) and returns its result. */
    private PairResult failed(PendingPair p, String name, PairFailure f) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("strategy", p.pair().strategy().label());
        o.put("seed", p.pair().seed());
        o.put("error_type", f.type());
        o.put("error", f.message());
        AtomicFiles.writeString(p.dir().resolve(FAILURE), MAPPER.writeValueAsString(o) + "\n");
        ObjectNode ev = event("pair_failed", p.pair());
        ev.put("error_type", f.type());
        ev.put("error", f.message());
        log.write(ev);
        LOG.warn("experiment: {}: failed, left out of the statistics: {}", name, f.message());
        return PairResult.failed(p.pair(), f.message());
    }

    /** Records a finished pair from the summary its search wrote and returns its result. */
    private PairResult finished(PendingPair p, String name) throws IOException {
        PairResult r = PairResult.fromSummary(p.pair(), p.dir().resolve("summary.json"));
        ObjectNode ev = event("pair_end", p.pair());
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
