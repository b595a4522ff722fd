package org.spidernet.cli;

import org.spidernet.graph.StrictJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spidernet compare DIR1 DIR2 [DIR...]}: the {@code summary.json} of several runs side by
 * side, one column per run, plus the ratio of the second run to the first when there are exactly
 * two. Every summary is read and checked before anything is printed, so a bad file gives one
 * error line and no partial table.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, customSynopsis = "spidernet compare DIR1 DIR2 [DIR...]",
        description = "Compare the summaries (summary.json) of two or more runs side by side.")
final class CompareCommand implements Callable<Integer> {
    static final String SUMMARY = "summary.json";
    static final String MISSING = "-";
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    /** How a row's value is printed. */
    private enum Kind {
        TEXT, ACCURACY, COUNT, MIB, SECONDS;

        String format(double v) {
            return switch (this) {
                case ACCURACY -> String.format(Locale.ROOT, "%.4f", v);
                case COUNT -> String.format(Locale.ROOT, "%,d", Math.round(v));
                case MIB -> String.format(Locale.ROOT, "%,.1f", v / BYTES_PER_MIB);
                case SECONDS -> String.format(Locale.ROOT, "%,.1f", v);
                case TEXT -> throw new IllegalStateException("text has no number format");
            };
        }
    }

    /** One row: its label and the summary keys it reads, the first present one winning. */
    private record Row(String label, Kind kind, List<String> keys) {
        Row(String label, Kind kind, String... keys) {
            this(label, kind, List.of(keys));
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("strategy", Kind.TEXT, "strategy"),
            new Row("space", Kind.TEXT, "space"),
            new Row("backend", Kind.TEXT, "backend"),
            new Row("test accuracy", Kind.ACCURACY, "test_accuracy"),
            new Row("parameters", Kind.COUNT, "params"),
            new Row("edges", Kind.COUNT, "edges"),
            // train runs write planned_peak_bytes; searches write peak_memory_bytes
            new Row("planned peak memory (MiB)", Kind.MIB, "peak_memory_bytes", "planned_peak_bytes"),
            new Row("measured peak memory (MiB)", Kind.MIB, "measured_peak_bytes"),
            new Row("wall time (s)", Kind.SECONDS, "wall_seconds"),
            new Row("search iterations", Kind.COUNT, "iterations"));

    // a file with text after its object was cut and pasted together, not written by us
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Run directories, each holding summary.json (at least two).")
    List<Path> dirs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (dirs.size() < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "compare needs at least two run directories (got " + dirs.size() + ")");
        }
        List<JsonNode> summaries = new ArrayList<>();
        for (Path dir : dirs) {
            summaries.add(readSummary(dir));
        }
        boolean ratio = dirs.size() == 2;
        List<String> header = new ArrayList<>();
        header.add("");
        for (Path dir : dirs) {
            header.add(dir.toString());
        }
        if (ratio) {
            header.add("ratio (2/1)");
        }
        TextTable table = new TextTable(header);
        for (Row row : ROWS) {
            List<String> cells = new ArrayList<>();
            cells.add(row.label());
            for (int i = 0; i < dirs.size(); i++) {
                cells.add(cell(row, summaries.get(i)));
            }
            if (ratio) {
                cells.add(ratio(row, summaries.get(0), summaries.get(1)));
            }
            table.addRow(cells);
        }
        System.out.print(table.render());
        return 0;
    }

    /**
     * The summary of one run, checked: an object whose numeric rows hold numbers.
     *
     * @throws IOException naming the directory or file and what is wrong with it
     */
    static JsonNode readSummary(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + (Files.exists(dir) ? ": not a directory" : ": run directory not found"));
        }
        Path file = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not found (is " + dir + " a finished run?)");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(org.spidernet.io.TextFiles.readUtf8(file, "run summary"));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": malformed JSON: " + StrictJson.describe(e), e);
        }
        if (root == null || !root.isObject()) {
            String found = root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new IOException(file + ": malformed summary: expected a JSON object, found " + found);
        }
        for (Row row : ROWS) {
            JsonNode v = value(row, root);
            if (row.kind() != Kind.TEXT && v != null && !v.isNumber()) {
                throw new IOException(file + ": malformed summary: '" + keyOf(row, root) + "' should be a number, found " + v);
            }
        }
        return root;
    }

    /** The row's value in a summary: the first of its keys that is present and not null. */
    private static JsonNode value(Row row, JsonNode summary) {
        String key = keyOf(row, summary);
        return key == null ? null : summary.get(key);
    }

    private static String keyOf(Row row, JsonNode summary) {
        for (String key : row.keys()) {
            JsonNode v = summary.get(key);
            if (v != null && !v.isNull()) {
                return key;
            }
        }
        return null;
    }

    private static String cell(Row row, JsonNode summary) {
        JsonNode v = value(row, summary);
        if (v == null) {
            return MISSING;
        }
        return row.kind() == Kind.TEXT ? v.asText() : row.kind().format(v.asDouble());
    }

    /** Second run over first, for numbers; blank for text, "-" where a value is missing or the first is 0. */
    private static String ratio(Row row, JsonNode first, JsonNode second) {
        if (row.kind() == Kind.TEXT) {
            return "";
        }
        JsonNode a = value(row, first);
        JsonNode b = value(row, second);
        if (a == null || b == null || a.asDouble() == 0) {
            return MISSING;
        }
        return String.format(Locale.ROOT, "%.3f", b.asDouble() / a.asDouble());
    }
}
