package org.spidernet.search.darts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.StrictJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a derived DARTS network ({@code genotype.json}): format name and version, the
 * input, the skeleton (channels, layers) and per cell kind the eight chosen edges as
 * {@code {"op": "sep_conv_3x3", "from": 0}}, two per inner node in node order. Read strictly;
 * errors give the JSON path, e.g. {@code reduce[3].op: unknown DARTS op 'conv' (known: ...)}.
 */
public final class DartsNetworkJson {
    public static final String FORMAT = "darts-genotype";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DartsNetworkJson() {
    }

    public static ObjectNode toTree(DartsNetwork n) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        StrictJson.putInput(root, n.skeleton().input());
        root.put("channels", n.skeleton().channels());
        root.put("layers", n.skeleton().layers());
        for (boolean reduction : new boolean[]{false, true}) {
            ArrayNode cell = root.putArray(reduction ? "reduce" : "normal");
            for (Genotype.Edge e : n.genotype().cell(reduction)) {
                ObjectNode en = cell.addObject();
                en.put("op", e.op().jsonName());
                en.put("from", e.from());
            }
        }
        return root;
    }

    public static String write(DartsNetwork n) {
        try {
            return MAPPER.writeValueAsString(toTree(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise DARTS genotype", e);
        }
    }

    public static DartsNetwork read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenomeException("DARTS genotype JSON is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        return fromTree(root);
    }

    public static DartsNetwork read(Path file) throws IOException {
        try {
            return read(Files.readString(file));
        } catch (InvalidGenomeException e) {
            throw new InvalidGenomeException(file + ": " + e.getMessage());
        }
    }

    public static DartsNetwork fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidGenomeException("DARTS genotype JSON must be an object");
        }
        String format = StrictJson.text(root, "format", "");
        if (!FORMAT.equals(format)) {
            throw new InvalidGenomeException("format: expected '" + FORMAT + "', found '" + format + "'");
        }
        int version = StrictJson.integer(root, "version", "");
        if (version != VERSION) {
            throw new InvalidGenomeException("version: this engine reads DARTS genotype version " + VERSION
                    + ", file has " + version);
        }
        InputSpec input = StrictJson.input(root);
        DartsSkeleton skeleton;
        try {
            skeleton = new DartsSkeleton(input, StrictJson.integer(root, "channels", ""), StrictJson.integer(root, "layers", ""));
        } catch (InvalidGenomeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(e.getMessage());
        }
        List<Genotype.Edge> normal = cell(root, "normal");
        List<Genotype.Edge> reduce = cell(root, "reduce");
        try {
            return new DartsNetwork(skeleton, new Genotype(normal, reduce));
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(e.getMessage());
        }
    }

    private static List<Genotype.Edge> cell(JsonNode root, String name) {
        JsonNode list = StrictJson.array(root, name, "");
        List<Genotype.Edge> edges = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = name + "[" + i + "]";
            JsonNode en = StrictJson.element(list.get(i), path);
            DartsOp op;
            try {
                op = DartsOp.fromName(StrictJson.text(en, "op", path + "."));
            } catch (InvalidGenomeException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidGenomeException(path + ".op: " + e.getMessage());
            }
            edges.add(new Genotype.Edge(op, StrictJson.integer(en, "from", path + ".")));
        }
        return edges;
    }
}
