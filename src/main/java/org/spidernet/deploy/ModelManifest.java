package org.spidernet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.WeightsFile;
import org.spidernet.search.ArchitectureSpace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code model.json}: what a run directory's trained network needs beyond its architecture and
 * weights to be run on new images: the space that reads its architecture file, the input shape
 * and classes, the input normalisation the network was trained with
 * ({@code (pixel / 255 - mean[c]) / std[c]}), the dataset and its class names, and the backend
 * and batch it was trained and tested with (so re-testing reproduces the run's figures). Train
 * and search write it last, after the architecture and the weights, so its presence means the
 * directory holds a complete model.
 */
public record ModelManifest(String space, String architectureFile, String weightsFile, String dataset,
                            InputSpec input, ChannelStats normalization, List<String> classNames, String backend,
                            int batch) {
    public static final String FILE = "model.json";
    /** The format version this engine writes and reads. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelManifest {
        if (normalization.channels() != input.channels()) {
            throw new IllegalArgumentException("normalisation has " + normalization.channels() + " channels, the input "
                    + input.channels());
        }
        if (classNames.size() != input.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + input.classes() + " classes");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        classNames = List.copyOf(classNames);
    }

    /**
     * The manifest of a network of {@code space} trained on {@code trainingImages} of
     * {@code dataset}, normalised by {@code normalization} (the images' own statistics, which the
     * caller already holds), with {@code backend} at {@code batch}.
     */
    public static ModelManifest of(ArchitectureSpace space, String dataset, ImageDataset trainingImages,
                                   ChannelStats normalization, String backend, int batch) {
        InputSpec input = new InputSpec(trainingImages.channels(), trainingImages.height(), trainingImages.width(),
                trainingImages.numClasses());
        return new ModelManifest(space.name(), space.fileName(), WeightsFile.NAME, dataset, input, normalization,
                DatasetRegistry.classNames(dataset), backend, batch);
    }

    /** Writes {@code dir/model.json} atomically. */
    public void write(Path dir) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "spidernet-model");
        root.put("version", VERSION);
        root.put("space", space);
        root.put("architecture_file", architectureFile);
        root.put("weights_file", weightsFile);
        root.put("dataset", dataset);
        ObjectNode in = root.putObject("input");
        in.put("channels", input.channels());
        in.put("height", input.height());
        in.put("width", input.width());
        root.put("classes", input.classes());
        ArrayNode names = root.putArray("class_names");
        classNames.forEach(names::add);
        ObjectNode norm = root.putObject("normalization");
        norm.put("pixel_scale", 255);
        ArrayNode mean = norm.putArray("mean");
        ArrayNode std = norm.putArray("std");
        for (int c = 0; c < normalization.channels(); c++) {
            mean.add(normalization.mean(c));
            std.add(normalization.std(c));
        }
        root.put("backend", backend);
        root.put("batch", batch);
        AtomicFiles.writeString(dir.resolve(FILE), MAPPER.writeValueAsString(root));
    }

    /** Reads {@code dir/model.json}; an {@link IOException} naming the file and the fault otherwise. */
    public static ModelManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": run directory not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not found (is " + dir + " a finished train or search run?)");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + org.spidernet.graph.StrictJson.describe(e) + ")", e);
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        try {
            if (root == null || !root.isObject() || !"spidernet-model".equals(root.path("format").asText())) {
                throw new IllegalArgumentException("not a SpiderNet model manifest (no \"format\": \"spidernet-model\")");
            }
            int version = requireInt(root, "version");
            if (version != VERSION) {
                throw new IllegalArgumentException("model format version " + version + ", this engine reads " + VERSION);
            }
            JsonNode in = require(root, "input");
            InputSpec input = new InputSpec(requireInt(in, "channels"), requireInt(in, "height"), requireInt(in, "width"),
                    requireInt(root, "classes"));
            JsonNode norm = require(root, "normalization");
            ChannelStats stats = new ChannelStats(doubles(require(norm, "mean"), "normalization.mean"),
                    doubles(require(norm, "std"), "normalization.std"));
            List<String> names = new ArrayList<>();
            for (JsonNode n : require(root, "class_names")) {
                names.add(n.asText());
            }
            return new ModelManifest(requireText(root, "space"), requireText(root, "architecture_file"),
                    requireText(root, "weights_file"), requireText(root, "dataset"), input, stats, names,
                    requireText(root, "backend"), requireInt(root, "batch"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode require(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' missing");
        }
        return v;
    }

    private static int requireInt(JsonNode node, String field) {
        JsonNode v = require(node, field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static String requireText(JsonNode node, String field) {
        JsonNode v = require(node, field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static double[] doubles(JsonNode arr, String field) {
        if (!arr.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array of numbers");
        }
        double[] v = new double[arr.size()];
        for (int i = 0; i < v.length; i++) {
            if (!arr.get(i).isNumber()) {
                throw new IllegalArgumentException("field '" + field + "' entry " + i + " is not a number: " + arr.get(i));
            }
            v[i] = arr.get(i).doubleValue();
        }
        return v;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
