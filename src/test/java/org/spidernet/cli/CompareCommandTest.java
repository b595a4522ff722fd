package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code spidernet compare}: the table, the ratio column, missing keys, and its refusals. */
class CompareCommandTest {
    private static final long MIB = 1 << 20;

    private record Result(int exit, String out, String err) {
        /** The table line whose label is {@code label}, split into its cells. */
        List<String> row(String label) {
            String line = out.lines().filter(l -> l.startsWith(label + "  ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row '" + label + "' in\n" + out));
            return List.of(line.substring(label.length()).trim().split(" {2,}"));
        }
    }

    private static Result run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = SpiderNet.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private static Path runDir(Path parent, String name, String summaryJson) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve(CompareCommand.SUMMARY), summaryJson);
        return dir;
    }

    /** A search on CUDA against a train run on the CPU: the second lacks several keys. */
    private static List<Path> twoRuns(Path tmp) throws IOException {
        Path search = runDir(tmp, "search", """
                {"strategy": "spidernet", "space": "spidernet", "backend": "cuda", "test_accuracy": 0.8, "params": 1000, "edges": 12,
                 "peak_memory_bytes": %d, "measured_peak_bytes": %d, "wall_seconds": 120.0, "iterations": 30}
                """.formatted(100 * MIB, 110 * MIB));
        Path train = runDir(tmp, "train", """
                {"backend": "cpu", "test_accuracy": 0.9, "params": 2500, "edges": 9,
                 "planned_peak_bytes": %d, "measured_peak_bytes": null, "wall_seconds": 30.0}
                """.formatted(150 * MIB));
        return List.of(search, train);
    }

    @Test
    void printsOneColumnPerRunAndTheRatio(@TempDir Path tmp) throws IOException {
        List<Path> dirs = twoRuns(tmp);
        Result r = run("compare", dirs.get(0).toString(), dirs.get(1).toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.trim().startsWith(dirs.get(0).toString()), header);
        assertTrue(header.endsWith("ratio (2/1)"), header);

        assertEquals(List.of("spidernet", "-"), r.row("strategy"));
        assertEquals(List.of("spidernet", "-"), r.row("space"));
        assertEquals(List.of("cuda", "cpu"), r.row("backend"));
        assertEquals(List.of("0.8000", "0.9000", "1.125"), r.row("test accuracy"));
        assertEquals(List.of("1,000", "2,500", "2.500"), r.row("parameters"));
        assertEquals(List.of("12", "9", "0.750"), r.row("edges"));
        // planned memory falls back to planned_peak_bytes for the train run
        assertEquals(List.of("100.0", "150.0", "1.500"), r.row("planned peak memory (MiB)"));
        // a null counts as missing
        assertEquals(List.of("110.0", "-", "-"), r.row("measured peak memory (MiB)"));
        assertEquals(List.of("120.0", "30.0", "0.250"), r.row("wall time (s)"));
        assertEquals(List.of("30", "-", "-"), r.row("search iterations"));
        assertEquals(11, r.out().lines().count(), "header and ten rows");
    }

    @Test
    void columnsAreAligned(@TempDir Path tmp) throws IOException {
        List<Path> dirs = twoRuns(tmp);
        Result r = run("compare", dirs.get(0).toString(), dirs.get(1).toString());
        List<String> lines = r.out().lines().toList();
        // every right-aligned column ends at the same place: rows with a ratio are as long as the header
        int width = lines.get(0).length();
        for (String label : List.of("test accuracy", "parameters", "planned peak memory (MiB)", "search iterations")) {
            String line = lines.stream().filter(l -> l.startsWith(label)).findFirst().orElseThrow();
            assertEquals(width, line.length(), line);
        }
        int runColumnEnd = lines.get(0).indexOf(dirs.get(1).toString()) + dirs.get(1).toString().length();
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.length() >= runColumnEnd && line.charAt(runColumnEnd - 1) != ' ', "misaligned: " + line);
        }
    }

    @Test
    void threeRunsHaveNoRatioColumn(@TempDir Path tmp) throws IOException {
        List<Path> dirs = twoRuns(tmp);
        Path third = runDir(tmp, "third", "{\"backend\": \"reference\", \"params\": 5}");
        Result r = run("compare", dirs.get(0).toString(), dirs.get(1).toString(), third.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("ratio (2/1)"));
        assertEquals(List.of("1,000", "2,500", "5"), r.row("parameters"));
        assertEquals(List.of("30", "-", "-"), r.row("search iterations"));
    }

    @Test
    void aMissingDirectoryOrSummaryIsNamed(@TempDir Path tmp) throws IOException {
        Path good = runDir(tmp, "good", "{\"params\": 1}");
        Path absent = tmp.resolve("absent");
        Result r = run("compare", good.toString(), absent.toString());
        assertEquals(1, r.exit());
        assertEquals("spidernet: error: " + absent + ": run directory not found", r.err().strip());
        assertEquals("", r.out(), "no partial table");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        r = run("compare", good.toString(), empty.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(empty.resolve("summary.json") + ": not found"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void malformedSummariesAreNamed(@TempDir Path tmp) throws IOException {
        Path good = runDir(tmp, "good", "{\"params\": 1}");
        for (String bad : List.of("{\"params\": 1,", "{\"params\": 1} {\"params\": 2}", "[1, 2]", "",
                "{\"params\": \"many\"}")) {
            Path dir = runDir(tmp, "bad", bad);
            Result r = run("compare", good.toString(), dir.toString());
            assertEquals(1, r.exit(), bad);
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("spidernet: error: " + dir.resolve("summary.json") + ": malformed"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void fewerThanTwoDirectoriesIsAUsageError(@TempDir Path tmp) throws IOException {
        Path good = runDir(tmp, "good", "{\"params\": 1}");
        Result one = run("compare", good.toString());
        assertEquals(2, one.exit());
        assertTrue(one.err().contains("at least two run directories (got 1)"), one.err());
        Result none = run("compare");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("(got 0)"), none.err());
    }
}
