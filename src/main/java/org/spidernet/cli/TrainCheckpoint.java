package org.spidernet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.TextFiles;
import org.spidernet.io.TrainerStateJson;
import org.spidernet.io.WeightsFile;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A train run's checkpoint, written at the start and after every epoch: a {@link Checkpoint}
 * directory whose {@code genome.json} is the trained genome, whose {@code weights.bin} holds
 * {@link org.spidernet.exec.Network#exportResumable() the weights and the SGD momentum} (an
 * {@code importState} reader looks entries up by name and skips the {@code momentum/} ones), and
 * whose {@code state.json} holds the rest: the {@link TrainerState}, the {@link TrainConfig}, the
 * {@link TrainSource}, the image counts of the split (to notice a dataset that changed since), and
 * the wall time and measured memory peak so far. With it, {@code train --resume} needs nothing else.
 */
record TrainCheckpoint(TrainConfig config, TrainSource source, Genome genome, Map<String, double[]> tensors,
                       TrainerState trainer, int trainImages, int validationImages, int testImages,
                       double elapsedSeconds, long measuredPeakBytes) {
    static final String KIND = "train";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    int epochsCompleted() {
        return trainer.epochsCompleted();
    }

    void write(Path dir) throws IOException {
        ObjectNode state = MAPPER.createObjectNode();
        state.put("kind", KIND);
        state.put("epochs_completed", trainer.epochsCompleted());
        state.put("seed", config.seed());
        state.set("config", MAPPER.valueToTree(config));
        state.set("source", MAPPER.valueToTree(source));
        state.set("trainer", TrainerStateJson.toTree(trainer));
        state.put("train_images", trainImages);
        state.put("validation_images", validationImages);
        state.put("test_images", testImages);
        state.put("elapsed_seconds", elapsedSeconds);
        state.put("measured_peak_bytes", measuredPeakBytes);
        new Checkpoint(Checkpoint.GENOME, GenomeJson.write(genome), tensors, state).write(dir);
    }

    /**
     * The kind of run whose checkpoint {@code dir} is ({@code train}, {@code search}), or null
     * when it has no {@code state.json}; an unreadable one is an error naming it.
     */
    static String kind(Path dir) throws IOException {
        Path f = dir.resolve(Checkpoint.STATE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return json(f).path("kind").asText("");
    }

    /** Reads a train checkpoint; every problem is an IOException naming the file and what is wrong with it. */
    static TrainCheckpoint read(Path dir) throws IOException {
        Path stateFile = dir.resolve(Checkpoint.STATE);
        Path genomeFile = dir.resolve(Checkpoint.GENOME);
        JsonNode st = json(require(stateFile));
        if (!KIND.equals(st.path("kind").asText())) {
            throw new IOException(stateFile + ": not a train checkpoint (kind '" + org.spidernet.io.Quoted.of(st.path("kind").asText("")) + "'"
                    + (st.has("kind") ? "" : "; written by a spidernet that could not resume training") + ")");
        }
        TrainConfig config;
        TrainSource source;
        TrainerState trainer;
        try {
            config = MAPPER.treeToValue(require(st, "config"), TrainConfig.class);
            source = MAPPER.treeToValue(require(st, "source"), TrainSource.class);
            trainer = TrainerStateJson.fromTree(require(st, "trainer"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(stateFile + ": malformed train state (" + firstLine(e) + ")", e);
        }
        int epochs = st.path("epochs_completed").asInt(-1);
        if (epochs != trainer.epochsCompleted() || trainer.history().size() != epochs || epochs > config.epochs()) {
            throw new IOException(stateFile + ": inconsistent train state (epochs_completed " + epochs + ", trainer "
                    + trainer.epochsCompleted() + ", " + trainer.history().size() + " metrics rows, " + config.epochs()
                    + "-epoch schedule)");
        }
        Genome genome;
        try {
            genome = GenomeJson.read(TextFiles.readUtf8(require(genomeFile), "genome file"));
        } catch (RuntimeException e) {
            throw new IOException(genomeFile + ": " + firstLine(e), e);
        }
        Map<String, double[]> tensors = WeightsFile.read(dir.resolve(Checkpoint.WEIGHTS));
        return new TrainCheckpoint(config, source, genome, tensors, trainer, st.path("train_images").asInt(-1),
                st.path("validation_images").asInt(-1), st.path("test_images").asInt(-1),
                st.path("elapsed_seconds").asDouble(0), st.path("measured_peak_bytes").asLong(0));
    }

    private static Path require(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing from the checkpoint");
        }
        return file;
    }

    private static JsonNode require(JsonNode st, String field) {
        JsonNode n = st.get(field);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("no '" + field + "' object");
        }
        return n;
    }

    private static JsonNode json(Path f) throws IOException {
        return Checkpoint.readState(f);
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? org.spidernet.graph.StrictJson.describe(j) : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }
}
