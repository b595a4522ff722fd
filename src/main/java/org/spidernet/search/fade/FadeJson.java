package org.spidernet.search.fade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.StrictJson;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.io.Quoted;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON forms of FaDE's networks. One architecture ({@code fade-network.json}): format
 * {@value #NETWORK_FORMAT} and version, the input, and per stage its width, whether it reduces and
 * its cell as a DAG code ({@code "4:0-1,0-2,1-3,2-3"}: vertices, then edges from -> to, see
 * {@link Dag#code()}). A region ({@code region.json}, what a search checkpoint trains): format
 * {@value #REGION_FORMAT}, the same stages with a list of candidate cells each, and the mixing
 * ({@code softmax} or {@code gumbel}). Read strictly; errors give the JSON path, e.g.
 * {@code stages[1].cell: ...}.
 */
public final class FadeJson {
    public static final String NETWORK_FORMAT = "fade-network";
    public static final String REGION_FORMAT = "fade-region";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FadeJson() {
    }

    public static String write(FadeNetwork n) {
        ObjectNode root = header(NETWORK_FORMAT, n.skeleton().input());
        ArrayNode stages = root.putArray("stages");
        for (int s = 0; s < n.skeleton().size(); s++) {
            stage(stages, n.skeleton().stage(s)).put("cell", n.cells().get(s).code());
        }
        return text(root);
    }

    public static String write(FadeRegion r) {
        ObjectNode root = header(REGION_FORMAT, r.skeleton().input());
        root.put("mixing", r.mixing().name().toLowerCase(Locale.ROOT));
        ArrayNode stages = root.putArray("stages");
        for (int s = 0; s < r.skeleton().size(); s++) {
            ArrayNode cells = stage(stages, r.skeleton().stage(s)).putArray("cells");
            r.candidates().get(s).forEach(d -> cells.add(d.code()));
        }
        return text(root);
    }

    public static FadeNetwork readNetwork(String json) {
        JsonNode root = tree(json, NETWORK_FORMAT);
        JsonNode stages = StrictJson.array(root, "stages", "");
        List<Dag> cells = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            String path = "stages[" + s + "]";
            cells.add(dag(StrictJson.element(stages.get(s), path), "cell", path + "."));
        }
        return build(() -> new FadeNetwork(skeleton(root, stages), cells));
    }

    public static FadeRegion readRegion(String json) {
        JsonNode root = tree(json, REGION_FORMAT);
        String mixing = StrictJson.text(root, "mixing", "");
        AlphaGroup.Mixing m = null;
        for (AlphaGroup.Mixing candidate : AlphaGroup.Mixing.values()) {
            if (candidate.name().equalsIgnoreCase(mixing)) {
                m = candidate;
            }
        }
        if (m == null) {
            throw new InvalidGenomeException("mixing: expected softmax or gumbel, found '" + Quoted.of(mixing) + "'");
        }
        JsonNode stages = StrictJson.array(root, "stages", "");
        List<List<Dag>> candidates = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            String path = "stages[" + s + "]";
            JsonNode list = StrictJson.array(StrictJson.element(stages.get(s), path), "cells", path + ".");
            List<Dag> cells = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                cells.add(parse(list.get(i), path + ".cells[" + i + "]"));
            }
            candidates.add(cells);
        }
        AlphaGroup.Mixing mixingFound = m;
        return build(() -> new FadeRegion(skeleton(root, stages), candidates, mixingFound));
    }

    private static ObjectNode header(String format, InputSpec input) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", format);
        root.put("version", VERSION);
        StrictJson.putInput(root, input);
        return root;
    }

    private static ObjectNode stage(ArrayNode stages, FadeStage st) {
        ObjectNode o = stages.addObject();
        o.put("channels", st.channels());
        o.put("reduction", st.reduction());
        return o;
    }

    private static FadeSkeleton skeleton(JsonNode root, JsonNode stages) {
        InputSpec input = StrictJson.input(root);
        List<FadeStage> list = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            String path = "stages[" + s + "].";
            JsonNode st = stages.get(s);
            JsonNode reduction = StrictJson.field(st, "reduction", path);
            if (!reduction.isBoolean()) {
                throw new InvalidGenomeException(path + "reduction: expected true or false, found " + reduction);
            }
            int channels = StrictJson.integer(st, "channels", path);
            list.add(build(() -> new FadeStage(channels, reduction.booleanValue())));
        }
        return build(() -> new FadeSkeleton(input, list));
    }

    private static Dag dag(JsonNode parent, String name, String path) {
        return parse(StrictJson.field(parent, name, path), path + name);
    }

    private static Dag parse(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw new InvalidGenomeException(path + ": expected a DAG code such as \"3:0-1,1-2\", found " + n);
        }
        try {
            return Dag.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(path + ": " + e.getMessage());
        }
    }

    /** Runs a constructor, turning its range checks into the format's error. */
    private static <T> T build(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (InvalidGenomeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(e.getMessage());
        }
    }

    private static JsonNode tree(String json, String expected) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenomeException("FaDE JSON is not valid JSON: " + StrictJson.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidGenomeException("FaDE JSON must be an object");
        }
        String format = StrictJson.text(root, "format", "");
        if (!expected.equals(format)) {
            throw new InvalidGenomeException("format: expected '" + expected + "', found '" + Quoted.of(format) + "'");
        }
        int version = StrictJson.integer(root, "version", "");
        if (version != VERSION) {
            throw new InvalidGenomeException("version: this engine reads " + expected + " version " + VERSION + ", file has " + version);
        }
        return root;
    }

    private static String text(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise FaDE JSON", e);
        }
    }
}
