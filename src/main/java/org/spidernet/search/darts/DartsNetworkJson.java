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
import org.spidernet.io.Quoted;
import org.spidernet.io.TextFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON forms of DARTS networks. A derived network ({@code genotype.json}): format
 * {@value #FORMAT} and version, the input, the skeleton (channels, layers) and per cell kind the
 * eight chosen edges as {@code {"op": "sep_conv_3x3", "from": 0}}, two per inner node in node
 * order. A supernet ({@code supernet.json}, what a search checkpoint trains): format
 * {@value #SUPERNET_FORMAT}, the input, the skeleton and the mixing ({@code softmax} or
 * {@code gumbel}). Read strictly; errors give the JSON path, e.g.
 * {@code reduce[3].op: unknown DARTS op 'conv' (known: ...)}.
 */
public final class DartsNetworkJson {
    public static final String FORMAT = "darts-genotype";
    public static final String SUPERNET_FORMAT = "darts-supernet";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DartsNetworkJson() {
    }

    public static ObjectNode toTree(DartsNetwork n) {
        ObjectNode root = header(FORMAT, n.skeleton());
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

    private static ObjectNode header(String format, DartsSkeleton skeleton) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", format);
        root.put("version", VERSION);
        StrictJson.putInput(root, skeleton.input());
        root.put("channels", skeleton.channels());
        root.put("layers", skeleton.layers());
        return root;
    }

    public static String write(DartsNetwork n) {
        return text(toTree(n));
    }

    public static String write(DartsSupernet n) {
        ObjectNode root = header(SUPERNET_FORMAT, n.skeleton());
        root.put("mixing", n.mixing().name().toLowerCase(java.util.Locale.ROOT));
        return text(root);
    }

    private static String text(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise DARTS JSON", e);
        }
    }

    public static DartsNetwork read(String json) {
        return fromTree(tree(json));
    }

    public static DartsSupernet readSupernet(String json) {
        JsonNode root = tree(json);
        DartsSkeleton skeleton = skeleton(root, SUPERNET_FORMAT);
        String mixing = StrictJson.text(root, "mixing", "");
        for (org.spidernet.graph.ir.AlphaGroup.Mixing m : org.spidernet.graph.ir.AlphaGroup.Mixing.values()) {
            if (m.name().equalsIgnoreCase(mixing)) {
                return new DartsSupernet(skeleton, m);
            }
        }
        throw new InvalidGenomeException("mixing: expected softmax or gumbel, found '" + Quoted.of(mixing) + "'");
    }

    private static JsonNode tree(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new InvalidGenomeException("DARTS JSON must be an object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidGenomeException("DARTS JSON is not valid JSON: " + StrictJson.describe(e));
        }
    }

    public static DartsNetwork read(Path file) throws IOException {
        String json = TextFiles.readUtf8(file, "DARTS genotype file");
        try {
            return read(json);
        } catch (InvalidGenomeException e) {
            throw new InvalidGenomeException(file + ": " + e.getMessage());
        }
    }

    public static DartsNetwork fromTree(JsonNode root) {
        DartsSkeleton skeleton = skeleton(root, FORMAT);
        List<Genotype.Edge> normal = cell(root, "normal");
        List<Genotype.Edge> reduce = cell(root, "reduce");
        try {
            return new DartsNetwork(skeleton, new Genotype(normal, reduce));
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(e.getMessage());
        }
    }

    /** The format check, the version check, the input and the skeleton every DARTS file starts with. */
    private static DartsSkeleton skeleton(JsonNode root, String expected) {
        String format = StrictJson.text(root, "format", "");
        if (!expected.equals(format)) {
            throw new InvalidGenomeException("format: expected '" + expected + "', found '" + Quoted.of(format) + "'");
        }
        int version = StrictJson.integer(root, "version", "");
        if (version != VERSION) {
            throw new InvalidGenomeException("version: this engine reads " + expected + " version " + VERSION
                    + ", file has " + version);
        }
        InputSpec input = StrictJson.input(root);
        try {
            return new DartsSkeleton(input, StrictJson.integer(root, "channels", ""), StrictJson.integer(root, "layers", ""));
        } catch (InvalidGenomeException e) {
            throw e;
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
