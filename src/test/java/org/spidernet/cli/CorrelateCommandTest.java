package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.search.correlate.RankCorrelations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spidernet correlate end to end on a generated MNIST-format fixture with the reference backend. */
class CorrelateCommandTest {
    private static final int K = 4;

    private static String[] correlate(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("correlate", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--samples", String.valueOf(K), "--max-splits", "3", "--channels", "2",
                "--reductions", "1", "--batch", "8", "--train-images", "32", "--test-images", "12",
                "--resamples", "200", "--no-progress", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void writesEveryOutputAndResumesToTheSameTable(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path whole = tmp.resolve("whole");
        CliRun r = CliRun.of(correlate(data, whole));
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("correlate.json", "scores.csv", "correlation.csv", "correlation.json",
                "plots/" + RankCorrelations.SPIDERNET_SCORE + ".png")) {
            assertTrue(Files.isRegularFile(whole.resolve(f)), f + " missing");
        }
        for (int i = 0; i < K; i++) {
            assertTrue(Files.isRegularFile(whole.resolve(String.format("architectures/arch-%03d.json", i))));
        }
        List<String> names = MetricRegistry.names();
        for (String m : names) {
            assertTrue(Files.isRegularFile(whole.resolve("plots/" + m + ".png")), m + ".png missing");
        }
        List<String> scores = Files.readAllLines(whole.resolve("scores.csv"));
        assertEquals(K + 1, scores.size(), "header and one row per architecture");
        List<String> header = List.of(scores.get(0).split(","));
        for (String m : names) {
            assertTrue(header.contains(m) && header.contains(m + "_status"), m + " column missing: " + header);
        }
        for (String row : scores.subList(1, scores.size())) {
            String[] cells = row.split(",", -1);
            assertEquals(header.size(), cells.length, row);
            assertEquals("trained", cells[header.indexOf("status")], row);
            for (String m : names) {
                String status = cells[header.indexOf(m + "_status")];
                String value = cells[header.indexOf(m)];
                // a failed score is an empty cell with its status, never a number standing in for it
                assertEquals(status.equals("ok") || status.equals("substituted"), !value.isEmpty(), m + ": " + row);
            }
        }
        List<String> corr = Files.readAllLines(whole.resolve("correlation.csv"));
        assertEquals(names.size() + 2, corr.size(), "header, every metric, SpiderNet's combined score");
        JsonNode json = new ObjectMapper().readTree(whole.resolve("correlation.json").toFile());
        assertEquals(K, json.get("architectures").asInt());
        assertEquals(names.size() + 1, json.get("rows").size());
        // the params metric never fails: its row counts every architecture
        assertEquals(String.valueOf(K), corr.stream().filter(l -> l.startsWith("params,")).findFirst().orElseThrow()
                .split(",")[2]);
        assertTrue(r.out().contains("Kendall tau-b"), r.out());

        // a study killed after two architectures: the finished ones' files and its settings exist
        Path part = tmp.resolve("part");
        Files.createDirectories(part.resolve("architectures"));
        Files.copy(whole.resolve("correlate.json"), part.resolve("correlate.json"));
        for (int i = 0; i < 2; i++) {
            String f = String.format("architectures/arch-%03d.json", i);
            Files.copy(whole.resolve(f), part.resolve(f));
        }
        CliRun resumed = CliRun.of("correlate", "--resume", part.toString(), "--no-progress");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(Files.readString(whole.resolve("correlation.csv")), Files.readString(part.resolve("correlation.csv")));
        assertEquals(Files.readString(whole.resolve("scores.csv")), Files.readString(part.resolve("scores.csv")));
    }

    @Test
    void badFlagsAreOneLineErrorsAndWriteNothing(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path out = tmp.resolve("out");
        for (String[] extra : new String[][]{{"--samples", "1"}, {"--epochs", "0"}, {"--lr", "-1"},
                {"--resamples", "5"}, {"--train-images", "4"}, {"--max-splits", "-2"}, {"--samples", "x"}}) {
            CliRun r = CliRun.of(correlate(data, out, extra));
            assertTrue(r.isOneLineError(2), String.join(" ", extra) + ": " + r.exit() + " " + r.err());
            assertFalse(Files.exists(out), String.join(" ", extra) + " wrote " + out);
        }
        CliRun notARun = CliRun.of("correlate", "--resume", tmp.toString());
        assertTrue(notARun.isOneLineError(2), notARun.err());
        assertTrue(notARun.err().contains("correlate.json"), notARun.err());
        CliRun mixed = CliRun.of("correlate", "--resume", tmp.toString(), "--samples", "3");
        assertTrue(mixed.isOneLineError(2), mixed.err());
        CliRun tooMany = CliRun.of(correlate(data, out, "--train-images", "400"));
        assertTrue(tooMany.isOneLineError(2), tooMany.err());
        assertFalse(Files.exists(out));
    }
}
