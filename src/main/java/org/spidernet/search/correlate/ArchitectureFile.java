package org.spidernet.search.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.GenomeJson;
import org.spidernet.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished architecture as {@code architectures/arch-NNN.json} (its genome, scores, accuracy and
 * status), written atomically the moment it finishes: the file's existence is what
 * {@code --resume} reads as "done". Numbers that do not exist (a failed score, the accuracy of a
 * failed training) are JSON null.
 */
public final class ArchitectureFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ArchitectureFile() {
    }

    public static Path path(Path dir, int index) {
        return dir.resolve(String.format(java.util.Locale.ROOT, "arch-%03d.json", index));
    }

    public static void write(Path dir, ArchitectureResult r) throws IOException {
        AtomicFiles.writeString(path(dir, r.index()), MAPPER.writeValueAsString(toTree(r)));
    }

    /** The result as its file holds it (what a job hands back, too). */
    public static ObjectNode toTree(ArchitectureResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("index", r.index());
        o.put("status", r.status());
        o.put("detail", r.detail());
        o.put("params", r.params());
        number(o, "test_accuracy", r.testAccuracy());
        o.put("seconds", r.seconds());
        ObjectNode ms = o.putObject("metrics");
        for (Map.Entry<String, MetricScore> e : r.metrics().entrySet()) {
            ObjectNode m = ms.putObject(e.getKey());
            number(m, "value", e.getValue().value());
            m.put("status", e.getValue().status());
            m.put("detail", e.getValue().detail());
        }
        o.set("genome", GenomeJson.toTree(r.genome()));
        return o;
    }

    /** @throws IOException naming the file when it is not one this class wrote */
    public static ArchitectureResult read(Path file) throws IOException {
        try {
            return fromTree(MAPPER.readTree(Files.readString(file)));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not an architecture result (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #toTree}'s result read back; a {@link RuntimeException} when it is not one. */
    public static ArchitectureResult fromTree(JsonNode o) {
        Map<String, MetricScore> metrics = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = o.get("metrics").properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue();
            metrics.put(e.getKey(), new MetricScore(number(m.get("value")), m.get("status").asText(),
                    m.get("detail").asText()));
        }
        return new ArchitectureResult(o.get("index").asInt(), GenomeJson.fromTree(o.get("genome")),
                o.get("params").asLong(), metrics, number(o.get("test_accuracy")), o.get("status").asText(),
                o.get("detail").asText(), o.get("seconds").asDouble());
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static double number(JsonNode n) {
        if (n == null) {
            throw new IllegalArgumentException("a number is missing");
        }
        return n.isNull() ? Double.NaN : n.asDouble();
    }
}
