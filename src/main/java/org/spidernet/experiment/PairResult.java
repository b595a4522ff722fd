package org.spidernet.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One pair's outcome: its measures, read from the {@code summary.json} its search wrote, or its
 * failure. A failed pair has no values (never a zero) and is left out of the statistics.
 *
 * @param values every {@link Measure}, NaN where the pair's space has none (DARTS has no edges)
 * @param error  the failure's message, null for a pair that finished
 */
public record PairResult(Pair pair, Map<Measure, Double> values, String error) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public PairResult {
        values = Collections.unmodifiableMap(new EnumMap<>(values.isEmpty() ? new EnumMap<>(Measure.class) : values));
    }

    public boolean ok() {
        return error == null;
    }

    /** "ok" or "failed": the status column. */
    public String status() {
        return ok() ? "ok" : "failed";
    }

    public double value(Measure m) {
        return values.getOrDefault(m, Double.NaN);
    }

    public static PairResult failed(Pair pair, String error) {
        return new PairResult(pair, Map.of(), error == null || error.isBlank() ? "failed without a message" : error);
    }

    /** The measures of a finished pair, from its search's {@code summary.json}. */
    public static PairResult fromSummary(Pair pair, Path summary) throws IOException {
        JsonNode root = MAPPER.readTree(summary.toFile());
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            JsonNode v = root == null ? null : root.get(m.summaryKey);
            values.put(m, v != null && v.isNumber() ? v.doubleValue() : Double.NaN);
        }
        if (Double.isNaN(values.get(Measure.TEST_ACCURACY))) {
            throw new IOException(summary + ": no test_accuracy (is it a finished search's summary?)");
        }
        return new PairResult(pair, values, null);
    }
}
