package org.spidernet.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.io.Quoted;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The frame of a space's versioned JSON files (FaDE's, AutoSpace's): a {@code format} name, a
 * {@code version} and the {@code input}, written indented and read strictly ({@link StrictJson}),
 * with every fault an {@link InvalidGenomeException} on one line.
 */
public final class FormatJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FormatJson() {
    }

    /** A root object with the format, version and input. */
    public static ObjectNode header(String format, int version, InputSpec input) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", format);
        root.put("version", version);
        StrictJson.putInput(root, input);
        return root;
    }

    public static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + root.path("format").asText() + " JSON", e);
        }
    }

    /**
     * The root of {@code json}, which must be an object of {@code format} at {@code version};
     * {@code family} names the files in errors ("AutoSpace JSON is not valid JSON: ...").
     */
    public static JsonNode read(String json, String family, String format, int version) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenomeException(family + " JSON is not valid JSON: " + StrictJson.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidGenomeException(family + " JSON must be an object");
        }
        String found = StrictJson.text(root, "format", "");
        if (!format.equals(found)) {
            throw new InvalidGenomeException("format: expected '" + format + "', found '" + Quoted.of(found) + "'");
        }
        int v = StrictJson.integer(root, "version", "");
        if (v != version) {
            throw new InvalidGenomeException("version: this engine reads " + format + " version " + version + ", file has " + v);
        }
        return root;
    }

    /** The supernet's {@code mixing}: softmax or gumbel. */
    public static AlphaGroup.Mixing mixing(JsonNode root) {
        String mixing = StrictJson.text(root, "mixing", "");
        for (AlphaGroup.Mixing m : AlphaGroup.Mixing.values()) {
            if (m.name().equalsIgnoreCase(mixing)) {
                return m;
            }
        }
        throw new InvalidGenomeException("mixing: expected softmax or gumbel, found '" + Quoted.of(mixing) + "'");
    }

    /** {@code mixing} as {@link #mixing} reads it. */
    public static String name(AlphaGroup.Mixing mixing) {
        return mixing.name().toLowerCase(Locale.ROOT);
    }

    /** Runs a constructor, turning its range checks into the format's error. */
    public static <T> T build(Supplier<T> make) {
        try {
            return make.get();
        } catch (InvalidGenomeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(e.getMessage());
        }
    }

    /** Runs a constructor or range check of the element at {@code path}, its fault prefixed with the path. */
    public static <T> T at(String path, Supplier<T> make) {
        try {
            return make.get();
        } catch (InvalidGenomeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(path + ": " + e.getMessage());
        }
    }

    /** {@link #at(String, Supplier)} for a check that returns nothing. */
    public static void at(String path, Runnable check) {
        at(path, () -> {
            check.run();
            return null;
        });
    }
}
