package org.spidernet.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.spidernet.io.Quoted;
import org.spidernet.io.TextFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The genome's JSON form. Written with a format name and version so a reader can refuse what it
 * does not understand; read strictly, with errors that give the JSON path of the bad element,
 * e.g. {@code cells[1].edges[2].ops[0]: unknown op 'conv_7x7' (known: ...)}.
 */
public final class GenomeJson {
    public static final String FORMAT = "spidernet-genome";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GenomeJson() {
    }

    public static ObjectNode toTree(Genome g) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", Genome.FORMAT_VERSION);
        StrictJson.putInput(root, g.input());
        root.put("channels", g.channels());
        root.put("reductions", g.reductions());
        ArrayNode cells = root.putArray("cells");
        for (Cell c : g.cells()) {
            ObjectNode cn = cells.addObject();
            cn.put("index", c.index());
            cn.put("inputs", c.inputs());
            cn.put("nodes", c.nodes());
            ArrayNode edges = cn.putArray("edges");
            for (Edge e : c.edges()) {
                ObjectNode en = edges.addObject();
                en.put("from", e.from());
                en.put("to", e.to());
                ArrayNode ops = en.putArray("ops");
                e.ops().forEach(op -> ops.add(op.jsonName()));
            }
        }
        return root;
    }

    public static String write(Genome g) {
        try {
            return MAPPER.writeValueAsString(toTree(g));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise genome", e);
        }
    }

    public static Genome read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenomeException("genome JSON is not valid JSON: " + StrictJson.describe(e));
        }
        return fromTree(root);
    }

    /** Reads a genome file; every fault is one line naming the file (missing, not UTF-8, not JSON, not a genome). */
    public static Genome read(Path file) throws IOException {
        String json = TextFiles.readUtf8(file, "genome file");
        try {
            return read(json);
        } catch (InvalidGenomeException e) {
            throw new InvalidGenomeException(file + ": " + e.getMessage());
        }
    }

    public static Genome fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidGenomeException("genome JSON must be an object");
        }
        String format = StrictJson.text(root, "format", "");
        if (!FORMAT.equals(format)) {
            throw new InvalidGenomeException("format: expected '" + FORMAT + "', found '" + Quoted.of(format) + "'");
        }
        int version = StrictJson.integer(root, "version", "");
        if (version != Genome.FORMAT_VERSION) {
            throw new InvalidGenomeException("version: this engine reads genome format version " + Genome.FORMAT_VERSION
                    + ", file has " + version);
        }
        InputSpec input = StrictJson.input(root);
        int channels = StrictJson.integer(root, "channels", "");
        int reductions = StrictJson.integer(root, "reductions", "");
        JsonNode cellsNode = StrictJson.array(root, "cells", "");
        List<Cell> cells = new ArrayList<>();
        for (int k = 0; k < cellsNode.size(); k++) {
            String cp = "cells[" + k + "].";
            JsonNode cn = cellsNode.get(k);
            if (!cn.isObject()) {
                throw new InvalidGenomeException("cells[" + k + "]: must be an object");
            }
            JsonNode edgesNode = StrictJson.array(cn, "edges", cp);
            List<Edge> edges = new ArrayList<>();
            for (int i = 0; i < edgesNode.size(); i++) {
                String ep = cp + "edges[" + i + "]";
                JsonNode en = edgesNode.get(i);
                if (!en.isObject()) {
                    throw new InvalidGenomeException(ep + ": must be an object");
                }
                JsonNode opsNode = StrictJson.array(en, "ops", ep + ".");
                List<OpType> ops = new ArrayList<>();
                for (int o = 0; o < opsNode.size(); o++) {
                    JsonNode on = opsNode.get(o);
                    if (!on.isTextual()) {
                        throw new InvalidGenomeException(ep + ".ops[" + o + "]: op names are strings, found " + on);
                    }
                    try {
                        ops.add(OpType.fromName(on.asText()));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidGenomeException(ep + ".ops[" + o + "]: " + e.getMessage());
                    }
                }
                try {
                    edges.add(new Edge(StrictJson.integer(en, "from", ep + "."), StrictJson.integer(en, "to", ep + "."), ops));
                } catch (InvalidGenomeException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw new InvalidGenomeException(ep + ": " + e.getMessage());
                }
            }
            cells.add(new Cell(StrictJson.integer(cn, "index", cp), StrictJson.integer(cn, "inputs", cp), StrictJson.integer(cn, "nodes", cp), edges));
        }
        return new Genome(input, channels, reductions, cells);
    }
}
