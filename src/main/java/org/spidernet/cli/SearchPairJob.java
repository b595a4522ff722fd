package org.spidernet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backends;
import org.spidernet.data.TrainingData;
import org.spidernet.experiment.PendingPair;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobEnvironment;
import org.spidernet.jobs.JobFailure;
import org.spidernet.jobs.JobKind;
import org.spidernet.search.SearchConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Job kind {@code search-pair}: one (strategy, seed) pair of an experiment, searched into its
 * directory exactly as {@code spidernet search} would (from the start with the pair's settings,
 * or from the checkpoint there), all in the executor's process. The directory must be on a file
 * system every executor shares with the driver, which reads the pair's {@code summary.json}. A
 * failed search is the typed failure {@code failed} (message: the error's type, a colon, its
 * message); an I/O failure is a fault, which stops the experiment, to be resumed.
 */
public final class SearchPairJob implements JobKind {
    public static final String NAME = "search-pair";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    public static Job job(PendingPair p) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("dir", p.dir().toAbsolutePath().toString());
        spec.put("resume", p.resume());
        if (!p.resume()) {
            spec.set("config", MAPPER.valueToTree(p.config()));
        }
        return new Job(NAME, spec);
    }

    @Override
    public JsonNode run(ObjectNode spec, JobEnvironment env) throws JobFailure {
        Path dir = Path.of(spec.get("dir").asText());
        try {
            SearchSession.Resumed resumed = spec.get("resume").asBoolean() ? SearchSession.Resumed.read(dir) : null;
            SearchConfig cfg = resumed != null ? resumed.config() : MAPPER.treeToValue(spec.get("config"), SearchConfig.class);
            SearchConfig.Source s = cfg.source();
            TrainingData d = env.data(new DataRef(s.dataset(), s.data(), s.limitTrain(), cfg.train().validation(),
                    cfg.train().batch()));
            // the pair's own work runs here, one thing at a time: an executor hands nothing further on
            SearchSession.run(cfg, Backends.resolve(s.backend()), new RunData(d.name(), d.split(), d.hold()), dir, resumed,
                    null, true, System.nanoTime());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("search-pair job: bad search settings: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobFailure(FailureKind.FAILED, e.getClass().getName() + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        } catch (Exception e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
        return MAPPER.createObjectNode();
    }
}
