package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.SearchConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search command end to end on IDX fixtures with the reference backend. */
class SearchCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] search(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("search", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--epochs-per-iteration", "1", "--final-epochs", "1", "--inits", "1",
                "--no-progress", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void dartsWritesTheSearchOutputsPlusItsAlphasAndComparesWithTheOthers(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path d = tmp.resolve("darts");
        CliRun r = run(search(data, d, "--iterations", "2", "--strategy", "darts", "--option", "layers=3"));
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("events.jsonl", "iterations.csv", "summary.json", "genotype.json", "genotype.dot",
                "weights.bin", "alphas.json", "alphas-normal.png", "alphas-reduce.png", "accuracy.png", "memory.png",
                "checkpoint/state.json", "checkpoint/genotype.json")) {
            assertTrue(Files.isRegularFile(d.resolve(f)), f + " missing");
        }
        JsonNode summary = new ObjectMapper().readTree(d.resolve("summary.json").toFile());
        assertEquals("darts", summary.get("strategy").asText());
        assertEquals("darts", summary.get("space").asText());
        assertEquals(summary.get("peak_memory_bytes").asLong(), summary.get("measured_peak_bytes").asLong());
        assertEquals(8, summary.get("normal").size());
        assertEquals("3", summary.get("config").get("options").get("layers").asText());
        List<String> csv = Files.readAllLines(d.resolve("iterations.csv"));
        assertEquals(3, csv.size(), "header and two supernet epochs");
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            assertEquals(cells[4], cells[5], "planned = measured supernet peak: " + line);
        }
        long alphaEvents = Files.readAllLines(d.resolve("events.jsonl")).stream()
                .filter(l -> l.contains("\"event\":\"alphas\"")).count();
        assertEquals(4, alphaEvents, "two groups after each of two epochs");

        Path a = tmp.resolve("spider");
        Path b = tmp.resolve("random");
        assertEquals(0, run(search(data, a, "--iterations", "1")).exit());
        assertEquals(0, run(search(data, b, "--iterations", "1", "--strategy", "random")).exit());
        CliRun cmp = run("compare", a.toString(), b.toString(), d.toString());
        assertEquals(0, cmp.exit(), cmp.err());
        String strategies = cmp.out().lines().filter(l -> l.startsWith("strategy")).findFirst().orElseThrow();
        assertTrue(strategies.matches("strategy\\s+spidernet\\s+random\\s+darts"), strategies);
    }

    @Test
    void imageAndTimeLimitsStopTheSearchAndAreSavedWithItsSettings(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path a = tmp.resolve("limited");
        // 40 training images (48 less 8 held out), one epoch per iteration: the limit is reached after the first
        CliRun r = run(search(data, a, "--iterations", "3", "--max-images", "40", "--max-time", "2h"));
        assertEquals(0, r.exit(), r.err());
        JsonNode summary = new ObjectMapper().readTree(a.resolve("summary.json").toFile());
        assertEquals("image limit reached (40 training images seen, limit 40)", summary.get("stop_reason").asText());
        assertEquals(1, summary.get("iterations").asInt());
        SearchConfig saved = SearchCheckpoint.config(a.resolve("checkpoint"));
        assertEquals(40, saved.limits().images());
        assertEquals(7200.0, saved.limits().wallSeconds());

        Path b = tmp.resolve("unlimited");
        assertEquals(0, run(search(data, b, "--iterations", "1")).exit());
        assertEquals(org.spidernet.search.SearchLimits.NONE, SearchCheckpoint.config(b.resolve("checkpoint")).limits(),
                "no limit round-trips through the saved JSON");

        for (String[] bad : new String[][]{{"--max-images", "0"}, {"--max-time", "0"}, {"--max-time", "soon"}}) {
            Path out = tmp.resolve("bad" + bad[0] + bad[1]);
            CliRun refused = run(search(data, out, bad));
            assertEquals(2, refused.exit(), refused.err());
            assertTrue(refused.err().startsWith("spidernet: error: " + bad[0]), refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(!Files.exists(out), "nothing may be written for a refused run");
        }
    }

    @Test
    void writesEveryOutputAndComparesTwoStrategies(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path a = tmp.resolve("spider");
        CliRun r = run(search(data, a, "--iterations", "1"));
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("events.jsonl", "iterations.csv", "summary.json", "genome.json", "weights.bin",
                "accuracy.png", "params.png", "memory.png", "cells.dot", "checkpoint/state.json")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f + " missing");
        }
        JsonNode summary = new ObjectMapper().readTree(a.resolve("summary.json").toFile());
        for (String k : List.of("test_accuracy", "params", "edges", "iterations", "peak_memory_bytes", "wall_seconds",
                "strategy", "backend")) {
            assertTrue(summary.has(k), "summary lacks " + k);
        }
        assertEquals("iteration limit reached (1 iterations)", summary.get("stop_reason").asText());
        List<String> events = Files.readAllLines(a.resolve("events.jsonl"));
        long candidates = events.stream().filter(l -> l.contains("\"event\":\"candidate\"")).count();
        assertTrue(candidates >= 5, "every candidate of the two rounds must be logged, found " + candidates);
        assertTrue(events.stream().anyMatch(l -> l.contains("\"event\":\"iteration\"") && l.contains("measuredPeakBytes")));

        Path b = tmp.resolve("random");
        assertEquals(0, run(search(data, b, "--iterations", "1", "--strategy", "random")).exit());
        CliRun cmp = run("compare", a.toString(), b.toString());
        assertEquals(0, cmp.exit(), cmp.err());
        assertTrue(cmp.out().contains("spidernet") && cmp.out().contains("random"), cmp.out());

        CliRun again = run("search", "--resume", a.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("already finished"), again.err());

        // the settings come back exactly as the run started with them, and no flag may change them
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(mapper.treeToValue(mapper.readTree(events.get(0)).get("config"), SearchConfig.class),
                SearchCheckpoint.config(a.resolve("checkpoint")));
        CliRun flagged = run("search", "--resume", a.toString(), "--channels", "4", "--no-progress");
        assertEquals(2, flagged.exit(), flagged.err());
        assertTrue(flagged.err().startsWith("spidernet: error: --resume continues with the settings saved in ")
                && flagged.err().contains("--channels cannot be given with it"), flagged.err());
        assertEquals(1, flagged.err().strip().lines().count(), flagged.err());
    }

    @Test
    void memoryTooSmallForAnySplitEndsCleanlyAndSaysSo(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        // find the initial net's planned peak from a run's log, then give exactly that as the budget
        Path probe = tmp.resolve("probe");
        CliRun p = run(search(data, probe, "--iterations", "0"));
        assertEquals(0, p.exit(), p.err());
        String start = Files.readAllLines(probe.resolve("events.jsonl")).get(0);
        long initial = new ObjectMapper().readTree(start).get("initial_planned_peak_bytes").asLong();
        Path out = tmp.resolve("small");
        CliRun r = run(search(data, out, "--iterations", "1", "--memory", Long.toString(initial)));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("no mutation fits the memory budget"), r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(5, summary.get("edges").asInt());

        CliRun bad = run(search(data, tmp.resolve("bad"), "--memory", "lots"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--memory"), bad.err());
    }

    @Test
    void aDeviceSmallerThanTheBudgetIsSurvivedAndAFullOneInTheFinalTrainingIsAnError(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path probe = tmp.resolve("probe");
        CliRun p = run(search(data, probe, "--iterations", "0"));
        assertEquals(0, p.exit(), p.err());
        long initial = new ObjectMapper().readTree(Files.readAllLines(probe.resolve("events.jsonl")).get(0))
                .get("initial_planned_peak_bytes").asLong();

        // the budget (a quarter of this machine) promises far more than the emulated device holds
        Path out = tmp.resolve("small-device");
        CliRun r = run(search(data, out, "--iterations", "1", "--device-memory", Long.toString(initial)));
        assertEquals(0, r.exit(), r.err());
        List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        assertTrue(events.get(0).contains("\"device_memory_bytes\":" + initial), events.get(0));
        assertTrue(events.stream().anyMatch(l -> l.contains("\"decision\":\"OUT_OF_MEMORY\"") || l.contains("\"round_rolled_back\"")),
                "the device must have run out somewhere: " + r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(summary.get("peak_memory_bytes").asLong() <= initial, summary.toString());
        assertTrue(summary.has("out_of_memory_rollbacks") && summary.has("effective_memory_budget_bytes"), summary.toString());
        assertEquals(initial, summary.get("config").get("source").get("deviceMemoryBytes").asLong(), "kept for --resume");

        // smaller than the initial net: nothing can be scored, so the search stops and the final training fails
        Path full = tmp.resolve("full-device");
        CliRun f = run(search(data, full, "--iterations", "0", "--device-memory", Long.toString(initial - 1)));
        assertEquals(1, f.exit(), f.err());
        assertTrue(f.err().contains("spidernet: error: out of device memory in the final training of the found network"), f.err());
        assertTrue(Files.readString(full.resolve("checkpoint/state.json")).contains("\"FINAL_TRAINING\""),
                "the checkpoint taken before the final training stays");
        List<String> failed = Files.readAllLines(full.resolve("events.jsonl"));
        assertTrue(failed.get(failed.size() - 1).contains("\"run_failed\""), failed.get(failed.size() - 1));
        assertTrue(!Files.exists(full.resolve("summary.json")));

        for (String bad : List.of("lots", "0", "-5M")) {
            Path refused = tmp.resolve("refused" + bad);
            CliRun b = run(search(data, refused, "--device-memory", bad));
            assertEquals(2, b.exit(), bad + ": " + b.err());
            assertTrue(b.err().contains("--device-memory"), b.err());
            assertTrue(!Files.exists(refused), "a refused run must leave no output directory");
        }
    }

    @Test
    void trainingRegularisationIsRecordedAndBadValuesAreRefused(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path out = tmp.resolve("run");
        CliRun r = run(search(data, out, "--iterations", "0", "--drop-path", "0.3", "--crop", "2", "--cutout", "3",
                "--lr-decay", "epoch"));
        assertEquals(0, r.exit(), r.err());
        JsonNode config = new ObjectMapper().readTree(Files.readAllLines(out.resolve("events.jsonl")).get(0)).get("config");
        JsonNode train = config.get("train");
        assertEquals(0.3, train.get("dropPath").asDouble(), 0.0);
        assertEquals(2, train.get("cropPadding").asInt());
        assertEquals(3, train.get("cutout").asInt());
        assertEquals(false, train.get("perStepDecay").asBoolean(), "--lr-decay epoch");

        for (String[] flag : List.of(new String[]{"--lr-decay", "weekly"}, new String[]{"--drop-path", "1.5"},
                new String[]{"--cutout", "-1"})) {
            Path refused = tmp.resolve("refused" + flag[0].substring(2));
            CliRun bad = run(search(data, refused, flag));
            assertEquals(2, bad.exit(), flag[0] + " " + flag[1] + ": " + bad.err());
            assertTrue(bad.err().contains(flag[0].substring(2).replace('-', ' ').split(" ")[0]), bad.err());
            assertTrue(!Files.exists(refused), "a refused run must leave no output directory");
        }
    }
}
