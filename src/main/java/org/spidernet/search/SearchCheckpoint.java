package org.spidernet.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.TrainerStateJson;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.train.TrainerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A search run's checkpoint: a {@link Checkpoint} directory whose network file (its space's:
 * {@code genome.json} for SpiderNet's) is the network being trained, whose {@code weights.bin} holds its weights and momentum (when some
 * epochs are done), and whose {@code state.json} holds the rest of the {@link SearchSnapshot}
 * (the memory budget in force and the parent genome and splits an out-of-memory would undo
 * included) plus the run's configuration, so {@code --resume} needs nothing else.
 */
public final class SearchCheckpoint {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SearchCheckpoint() {
    }

    public static void write(Path dir, SearchSnapshot s, SearchConfig config, double elapsedSeconds) throws IOException {
        ObjectNode state = MAPPER.createObjectNode();
        state.put("kind", "search");
        state.put("phase", s.phase().name());
        state.put("iteration", s.iteration());
        state.put("epochs_completed", s.epochsCompleted());
        state.set("history", MAPPER.valueToTree(s.history()));
        if (s.trainer() != null) {
            state.set("trainer", TrainerStateJson.toTree(s.trainer()));
        }
        if (s.best() != null) {
            state.set("best_genome", GenomeJson.toTree(s.best()));
            state.put("best_validation_accuracy", s.bestValidationAccuracy());
        }
        if (s.stopReason() != null) {
            state.put("stop_reason", s.stopReason());
        }
        if (s.parent() != null) {
            state.set("parent_genome", GenomeJson.toTree(s.parent()));
        }
        ArrayNode grown = state.putArray("grown_by");
        for (EdgeSplit e : s.grownBy()) {
            grown.addObject().put("cell", e.cell()).put("from", e.from()).put("to", e.to());
        }
        state.put("space", s.network().space());
        state.put("memory_budget_bytes", s.memoryBudgetBytes());
        state.put("out_of_memory_rollbacks", s.outOfMemoryRollbacks());
        state.set("config", MAPPER.valueToTree(config));
        state.put("elapsed_seconds", elapsedSeconds);
        ArchitectureSpace space = ArchitectureSpaces.require(s.network().space());
        new Checkpoint(space.fileName(), s.network().json(), s.tensors(), state).write(dir);
    }

    /**
     * The configuration the run was started with, exactly as {@link #write} saved it. A checkpoint
     * whose configuration does not read back as a {@link SearchConfig} (one written before the
     * configuration was saved whole) is refused, so a resumed run never guesses a setting.
     */
    public static SearchConfig config(Path dir) throws IOException {
        JsonNode n = state(dir).get("config");
        if (n == null || !n.isObject()) {
            throw new IOException(dir + ": the checkpoint carries no configuration");
        }
        try {
            return MAPPER.treeToValue(n, SearchConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(dir.resolve(Checkpoint.STATE) + ": the saved configuration cannot be read ("
                    + e.getMessage().lines().findFirst().orElse("") + "); was it written by an older spidernet?", e);
        }
    }

    /** Wall-clock seconds the run had spent when the checkpoint was written. */
    public static double elapsedSeconds(Path dir) throws IOException {
        return state(dir).path("elapsed_seconds").asDouble(0);
    }

    private static JsonNode state(Path dir) throws IOException {
        return Checkpoint.readState(requireState(dir));
    }

    /** The checkpoint's state file, which every reader needs first: its absence means no checkpoint at all. */
    private static Path requireState(Path dir) throws IOException {
        Path f = dir.resolve(Checkpoint.STATE);
        if (!Files.isRegularFile(f)) {
            throw new IOException(dir + ": no search checkpoint here (missing " + Checkpoint.STATE + ")");
        }
        return f;
    }

    public static SearchSnapshot read(Path dir) throws IOException {
        JsonNode first = state(dir);
        if (!"search".equals(first.path("kind").asText())) {
            throw new IOException(dir + ": not a search checkpoint");
        }
        // absent before spaces were plug-ins: SpiderNet's genome
        ArchitectureSpace space;
        try {
            space = ArchitectureSpaces.require(first.path("space").asText(SpaceNetwork.SPIDERNET));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(Checkpoint.STATE) + ": " + e.getMessage(), e);
        }
        Checkpoint ck = Checkpoint.read(dir, space.fileName());
        try {
            space.lower(ck.architecture());
        } catch (InvalidGenomeException e) {
            throw new InvalidGenomeException(dir.resolve(space.fileName()) + ": " + e.getMessage());
        }
        SpaceNetwork network = new SpaceNetwork(space.name(), ck.architecture());
        JsonNode st = ck.state();
        try {
            SearchPhase phase = SearchPhase.valueOf(st.get("phase").asText());
            List<IterationRecord> history = MAPPER.convertValue(st.get("history"), new TypeReference<List<IterationRecord>>() {
            });
            TrainerState trainer = st.has("trainer") ? TrainerStateJson.fromTree(st.get("trainer")) : null;
            Genome best = st.has("best_genome") ? GenomeJson.fromTree(st.get("best_genome")) : null;
            double bestVal = st.has("best_validation_accuracy") ? st.get("best_validation_accuracy").asDouble() : Double.NaN;
            String stop = st.has("stop_reason") ? st.get("stop_reason").asText() : null;
            // absent in checkpoints written before out-of-memory rollbacks: nothing to undo, the configured budget
            Genome parent = st.has("parent_genome") ? GenomeJson.fromTree(st.get("parent_genome")) : null;
            List<EdgeSplit> grown = new ArrayList<>();
            for (JsonNode e : st.path("grown_by")) {
                grown.add(new EdgeSplit(e.get("cell").asInt(), e.get("from").asInt(), e.get("to").asInt()));
            }
            long budget = st.has("memory_budget_bytes") ? st.get("memory_budget_bytes").asLong() : Long.MAX_VALUE;
            return new SearchSnapshot(phase, st.get("iteration").asInt(), network, st.get("epochs_completed").asInt(),
                    ck.weights(), trainer, history, best, bestVal, stop, parent, grown, budget,
                    st.path("out_of_memory_rollbacks").asInt(0));
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(Checkpoint.STATE) + ": malformed search state (" + e.getMessage() + ")", e);
        }
    }
}
