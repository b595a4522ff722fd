package org.spidernet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@link OpFamilyBenchmark} results from JMH JSON files as one table per backend and
 * activation shape: calls/s, achieved GB/s and GFLOP/s, and each op's GB/s as a fraction of the
 * same run's {@code copy} GB/s (the measured copy bandwidth). Java rather than a script, so that
 * a GPU node with only the bundle's runtime can print it. Usage: {@code OpFamilyTable JSON...};
 * files that are missing or hold no op-family results are skipped.
 */
public final class OpFamilyTable {
    private record Row(String op, double calls, double gbPerSecond, double gflopPerSecond) {
    }

    private OpFamilyTable() {
    }

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.isRegularFile(p) || Files.size(p) == 0) {
                continue;
            }
            for (JsonNode r : json.readTree(p.toFile())) {
                if (!r.path("benchmark").asText().endsWith("OpFamilyBenchmark.run")) {
                    continue;
                }
                JsonNode params = r.path("params");
                JsonNode secondary = r.path("secondaryMetrics");
                String key = "backend " + params.path("backend").asText() + ", activation shape "
                        + params.path("shape").asText() + " (NxCxHxW)";
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Row(params.path("op").asText(),
                        r.path("primaryMetric").path("score").asDouble(),
                        secondary.path("gbPerSecond").path("score").asDouble(Double.NaN),
                        secondary.path("gflopPerSecond").path("score").asDouble(Double.NaN)));
            }
        }
        for (var e : groups.entrySet()) {
            double copy = e.getValue().stream().filter(r -> r.op().equals("copy")).mapToDouble(Row::gbPerSecond)
                    .findFirst().orElse(Double.NaN);
            System.out.println("op families, " + e.getKey() + "; copy bandwidth "
                    + (Double.isNaN(copy) ? "not measured" : String.format(Locale.ROOT, "%.1f GB/s", copy)));
            System.out.println("| op | calls/s | GB/s | GFLOP/s | GB/s / copy GB/s |");
            System.out.println("|---|---|---|---|---|");
            for (Row r : e.getValue()) {
                String fraction = Double.isNaN(copy) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.gbPerSecond() / copy);
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.2f | %s |%n", r.op(), r.calls(), r.gbPerSecond(),
                        r.gflopPerSecond(), fraction);
            }
            System.out.println();
        }
    }
}
