package org.spidernet.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint directory: the network's JSON in its space's file ({@code genome.json} for
 * SpiderNet's genomes, see {@code architectureFile}), {@code weights.bin} (see
 * {@link WeightsFile}), {@code state.json} (where the run stands: epoch, configuration,
 * deleted ops) and, written last, {@code manifest.json} (every file's length and SHA-256, see
 * {@link CheckpointManifest}). It is staged in a sibling directory and swapped in whole, the
 * checkpoint it replaces kept as the previous one ({@link CheckpointStore#swapIn}), so a reader sees
 * a complete checkpoint, never a mixture; {@link #read} verifies it before parsing anything. The
 * network's JSON is stored as given; checking it is its space's business.
 */
public record Checkpoint(String architectureFile, String architecture, Map<String, double[]> weights, JsonNode state) {
    public static final String GENOME = "genome.json";
    public static final String WEIGHTS = WeightsFile.NAME;
    public static final String STATE = "state.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path dir) throws IOException {
        Path staged = dir.resolveSibling(dir.getFileName() + ".staging");
        AtomicFiles.deleteRecursively(staged);
        Files.createDirectories(staged);
        try {
            AtomicFiles.writeString(staged.resolve(architectureFile), architecture);
            WeightsFile.write(staged.resolve(WEIGHTS), weights);
            AtomicFiles.writeString(staged.resolve(STATE), MAPPER.writeValueAsString(state));
            CheckpointManifest.write(staged); // last: it vouches for the files above
            CheckpointStore.swapIn(staged, dir);
        } finally {
            AtomicFiles.deleteRecursively(staged);
        }
    }

    /**
     * A run's JSON file ({@code state.json}) as a JSON object; Jackson's own messages name neither
     * the file nor (since 2.16) the source, and run over several lines, so a fault is one line
     * naming the file. The text is decoded as UTF-8 first, as it was written: Jackson's encoding
     * detection would take some binary for UTF-32 and fail with a bare CharConversionException.
     */
    public static JsonNode readState(Path file) throws IOException {
        String text = TextFiles.readUtf8(file, "checkpoint state file");
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + org.spidernet.graph.StrictJson.describe(e) + ")", e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        return n;
    }

    /** Reads a checkpoint whose network is in {@code architectureFile}, after verifying it against its manifest. */
    public static Checkpoint read(Path dir, String architectureFile) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": checkpoint directory not found");
        }
        CheckpointManifest.verify(dir);
        String a = TextFiles.readUtf8(dir.resolve(architectureFile), "checkpoint architecture file");
        Map<String, double[]> w = WeightsFile.read(dir.resolve(WEIGHTS));
        JsonNode s = readState(dir.resolve(STATE));
        return new Checkpoint(architectureFile, a, w, s);
    }
}
