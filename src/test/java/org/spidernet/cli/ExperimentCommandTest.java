package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.Backends;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.experiment.ExperimentPlan;
import org.spidernet.experiment.Pair;
import org.spidernet.experiment.PendingPair;
import org.spidernet.io.AtomicFiles;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.OpenedEnvironment;
import org.spidernet.jobs.WideInProcess;
import org.spidernet.search.SearchConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spidernet experiment} end to end on a generated 6x6 MNIST-format dataset (C=2, reference
 * backend): 2 strategies x 2 seeds, every output, a resume after the first pair that gives the
 * uninterrupted results without running that pair again, and refused plans.
 */
class ExperimentCommandTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path plan;
    static Path full;
    static CliRun fullRun;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String plan(Path data, String seeds) {
        return """
                {"strategies": ["spidernet", "random"], "seeds": %s, "dataset": "mnist", "data": "%s",
                 "budget": {"images": 80}, "memory": 1000000000,
                 "search": {"backend": "reference", "channels": 2, "reductions": 1, "batch": 8, "validation": 8,
                            "iterations": 3, "epochs-per-iteration": 1, "final-epochs": 1, "inits": 1, "candidates": 2,
                            "metrics": ["synflow"]}}
                """.formatted(seeds, data.toString().replace("\\", "\\\\"));
    }

    @BeforeAll
    static void runOnce() throws Exception {
        data = DatasetFixtures.idxDirectory(shared.resolve("data"), 48, 12, 6, 6);
        plan = Files.writeString(shared.resolve("plan.json"), plan(data, "[1, 2]"));
        full = shared.resolve("full");
        fullRun = CliRun.of("experiment", plan.toString(), "--out", full.toString(), "--no-progress");
    }

    @Test
    void writesEveryPairAndTheTables() throws Exception {
        assertEquals(0, fullRun.exit(), fullRun.err());
        for (String pair : List.of("spidernet-s1", "spidernet-s2", "random-s1", "random-s2")) {
            for (String f : List.of("summary.json", "events.jsonl", "iterations.csv", "genome.json", "weights.bin", "checkpoint/state.json")) {
                assertTrue(Files.isRegularFile(full.resolve("pairs").resolve(pair).resolve(f)), pair + "/" + f + " missing");
            }
        }
        for (String f : List.of("plan.json", "results.csv", "summary.csv", "summary.json", "paired.csv",
                "accuracy-vs-params.png", "accuracy-vs-peak.png", "events.jsonl")) {
            assertTrue(Files.isRegularFile(full.resolve(f)), f + " missing");
        }
        List<String> rows = Files.readAllLines(full.resolve("results.csv"));
        assertEquals("strategy,seed,status,test_accuracy,params,planned_peak_bytes,edges,search_images,wall_seconds", rows.get(0));
        assertEquals(5, rows.size());
        // every row carries its pair's own summary, and the budget held: 80 images = 2 iterations of 40
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", -1);
            JsonNode s = MAPPER.readTree(full.resolve("pairs").resolve(c[0] + "-s" + c[1]).resolve("summary.json").toFile());
            assertEquals("ok", c[2]);
            assertEquals(s.get("test_accuracy").asDouble(), Double.parseDouble(c[3]), 5e-7);
            assertEquals(s.get("params").asLong(), Long.parseLong(c[4]));
            assertEquals(s.get("peak_memory_bytes").asLong(), Long.parseLong(c[5]));
            assertEquals(s.get("edges").asLong(), Long.parseLong(c[6]));
            assertEquals(80, Long.parseLong(c[7]), row);
            assertEquals(Long.parseLong(c[1]), s.get("seed").asLong());
        }
        // the summary's mean is the mean of the rows, and the stdout table shows it
        JsonNode summary = MAPPER.readTree(full.resolve("summary.json").toFile());
        for (int k = 0; k < 2; k++) {
            JsonNode st = summary.get("strategies").get(k);
            String name = st.get("strategy").asText();
            double mean = rows.stream().skip(1).map(r -> r.split(",")).filter(c -> c[0].equals(name))
                    .mapToDouble(c -> Double.parseDouble(c[3])).average().orElseThrow();
            JsonNode acc = st.get("measures").get("test_accuracy");
            assertEquals(2, acc.get("n").asInt());
            assertEquals(mean, acc.get("mean").asDouble(), 1e-6);
            assertTrue(acc.get("low").asDouble() <= mean && mean <= acc.get("high").asDouble());
            assertTrue(fullRun.out().lines().anyMatch(l -> l.startsWith(name) && l.contains(String.format(java.util.Locale.ROOT, "%.4f", mean))),
                    fullRun.out());
        }
        List<String> paired = Files.readAllLines(full.resolve("paired.csv"));
        assertTrue(paired.stream().anyMatch(l -> l.startsWith("spidernet,random,test_accuracy,higher,2,")), String.join("\n", paired));
        List<String> events = Files.readAllLines(full.resolve("events.jsonl"));
        assertEquals(4, events.stream().filter(l -> l.contains("\"event\":\"pair_start\"")).count());
        assertEquals(4, events.stream().filter(l -> l.contains("\"event\":\"pair_end\"")).count());
    }

    @Test
    void resumedAfterTheFirstPairGivesTheSameResultsWithoutRerunningIt(@TempDir Path tmp) throws Exception {
        assertEquals(0, fullRun.exit(), fullRun.err());
        Path cut = tmp.resolve("cut");
        copyTree(full, cut);
        // stopped after its first pair: the second interrupted in its final training (its checkpoint
        // one step back, no summary), the later two never started, no tables yet
        Path second = cut.resolve("pairs/spidernet-s2");
        AtomicFiles.deleteRecursively(second.resolve("checkpoint"));
        Files.move(second.resolve("checkpoint.previous"), second.resolve("checkpoint"));
        Files.delete(second.resolve("summary.json"));
        AtomicFiles.deleteRecursively(cut.resolve("pairs/random-s1"));
        AtomicFiles.deleteRecursively(cut.resolve("pairs/random-s2"));
        for (String f : List.of("results.csv", "summary.csv", "summary.json", "paired.csv", "accuracy-vs-params.png", "accuracy-vs-peak.png")) {
            Files.delete(cut.resolve(f));
        }
        Path firstSummary = cut.resolve("pairs/spidernet-s1/summary.json");
        FileTime before = Files.getLastModifiedTime(firstSummary);
        long firstEvents = Files.readAllLines(cut.resolve("pairs/spidernet-s1/events.jsonl")).size();

        CliRun r = CliRun.of("experiment", "--resume", cut.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertEquals(withoutWallSeconds(full.resolve("results.csv")), withoutWallSeconds(cut.resolve("results.csv")));
        assertEquals(before, Files.getLastModifiedTime(firstSummary), "the finished pair's summary was rewritten");
        assertEquals(firstEvents, Files.readAllLines(cut.resolve("pairs/spidernet-s1/events.jsonl")).size(),
                "the finished pair's search ran again");
        List<String> events = Files.readAllLines(cut.resolve("events.jsonl"));
        assertTrue(events.stream().anyMatch(l -> l.contains("\"event\":\"pair_skipped\"") && l.contains("\"seed\":1")
                && l.contains("\"strategy\":\"spidernet\"")));
        assertTrue(events.stream().anyMatch(l -> l.contains("\"event\":\"pair_resumed\"") && l.contains("\"seed\":2")
                && l.contains("\"strategy\":\"spidernet\"")));
        assertTrue(Files.readAllLines(second.resolve("events.jsonl")).stream().anyMatch(l -> l.contains("\"event\":\"run_resumed\"")));

        CliRun again = CliRun.of("experiment", "--resume", cut.toString());
        assertTrue(again.isOneLineError(2), again.err());
        assertTrue(again.err().contains("already finished"), again.err());
    }

    /**
     * The pairs as search-pair jobs (what --spark sends: each searched into its directory on the
     * executor, here a service that runs its batch in-process back to front) give what the
     * experiment's own runs gave: the same found genome and test accuracy, fresh and resumed.
     */
    @Test
    void pairsRunAsJobsGiveWhatTheExperimentGave(@TempDir Path tmp) throws Exception {
        assertEquals(0, fullRun.exit(), fullRun.err());
        Map<Pair, SearchConfig> configs = ExperimentPlan.read(plan).configs(plan,
                Backends.resolve("reference").capabilities());
        Path cut = tmp.resolve("cut");
        copyTree(full, cut);
        Path second = cut.resolve("pairs/spidernet-s2");
        AtomicFiles.deleteRecursively(second.resolve("checkpoint"));
        Files.move(second.resolve("checkpoint.previous"), second.resolve("checkpoint"));
        Files.delete(second.resolve("summary.json"));
        List<Job> jobs = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (Map.Entry<Pair, SearchConfig> e : configs.entrySet()) {
            boolean resume = e.getKey().directoryName().equals("spidernet-s2");
            Path dir = resume ? second : tmp.resolve("jobs").resolve(e.getKey().directoryName());
            jobs.add(SearchPairJob.job(new PendingPair(e.getKey(), e.getValue(), dir, resume)));
            dirs.add(dir);
        }
        List<JobOutcome> outcomes;
        try (OpenedEnvironment env = new OpenedEnvironment()) {
            outcomes = new WideInProcess(env, 4).run(jobs);
        }
        int k = 0;
        for (Pair p : configs.keySet()) {
            Path got = dirs.get(k);
            assertTrue(outcomes.get(k++).ok(), p + ": " + outcomes);
            Path want = full.resolve("pairs").resolve(p.directoryName());
            assertEquals(Files.readString(want.resolve("genome.json")), Files.readString(got.resolve("genome.json")), p + ": genome");
            assertEquals(MAPPER.readTree(want.resolve("summary.json").toFile()).get("test_accuracy").asDouble(),
                    MAPPER.readTree(got.resolve("summary.json").toFile()).get("test_accuracy").asDouble(), 0.0, p + ": test accuracy");
        }
        assertTrue(Files.readAllLines(second.resolve("events.jsonl")).stream().anyMatch(l -> l.contains("\"event\":\"run_resumed\"")),
                "the interrupted pair resumed from its checkpoint");
    }

    private static List<String> withoutWallSeconds(Path csv) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            out.add(line.substring(0, line.lastIndexOf(',')));
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void failedPairsAreRecordedLeftOutOfTheStatisticsAndNotRetried(@TempDir Path tmp) throws Exception {
        // a memory budget no initial net fits: every pair fails at its start, a typed failure
        Path file = Files.writeString(tmp.resolve("plan.json"),
                plan(data, "[1, 2]").replace("\"memory\": 1000000000", "\"memory\": 1000"));
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("experiment", file.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(row.matches("(spidernet|random),[12],failed,,,,,,"), row);
        }
        JsonNode failure = MAPPER.readTree(out.resolve("pairs/random-s2/failure.json").toFile());
        assertTrue(failure.get("error").asText().contains("over the memory budget"), failure.toString());
        JsonNode summary = MAPPER.readTree(out.resolve("summary.json").toFile());
        JsonNode st = summary.get("strategies").get(0);
        assertEquals(0, st.get("measures").get("test_accuracy").get("n").asInt());
        assertTrue(st.get("measures").get("test_accuracy").get("mean").isNull(), "no mean, never a 0");
        assertEquals(2, st.get("failed").size());
        assertTrue(r.out().contains("spidernet seed 1 failed (left out of the statistics)"), r.out());
        assertTrue(r.err().contains("failed, left out of the statistics"), r.err());
        // resumed (its tables removed as if killed before writing them): the failures stand, nothing reruns
        Files.delete(out.resolve("summary.json"));
        CliRun again = CliRun.of("experiment", "--resume", out.toString(), "--no-progress");
        assertEquals(0, again.exit(), again.err());
        List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        assertEquals(4, events.stream().filter(l -> l.contains("\"event\":\"pair_failed\"")).count());
        assertEquals(4, events.stream().filter(l -> l.contains("\"event\":\"pair_skipped\"")).count());
    }

    @Test
    void badPlansAreOneLineErrorsNamingTheFieldAndWriteNothing(@TempDir Path tmp) throws Exception {
        String good = plan(data, "[1, 2]");
        String[][] cases = {
                {good.replace("\"random\"", "\"ranodm\""), "strategies[1]: unknown search strategy 'ranodm'"},
                {good.replace("\"seeds\": [1, 2]", "\"seeds\": []"), "seeds: expected a non-empty array"},
                {good.replace("\"seeds\": [1, 2]", "\"seeds\": [1, 2, 1]"), "seeds[2]: seed 1 is listed twice"},
                {good.replace("\"images\": 80", "\"images\": -5"), "budget.images: expected a positive integer"},
                {good.replace("\"memory\"", "\"memroy\""), "memroy: unknown key"},
                {good.replace("\"inits\"", "\"init\""), "search.init: unknown setting"},
                {good.replace("\"channels\": 2", "\"channels\": 0"), "search.channels: "},
                {good.replace("\"final-epochs\": 1", "\"final-epochs\": \"one\""), "search.final-epochs: expected an integer"},
                {good.replace("[\"spidernet\", \"random\"]", "[\"spidernet\", {\"name\": \"random\", \"options\": {\"layers\": \"3\"}}]"),
                        "strategies[1].options: --option: strategy 'random' has no option 'layers'"},
                {good.replace("\"lr-decay\"", "x").replace("\"batch\": 8", "\"batch\": 8, \"lr-decay\": \"hourly\""),
                        "search.lr-decay: --lr-decay must be step or epoch"},
                {"{\"strategies\": [\"spidernet\"], \"seeds\": [1],", "malformed JSON"},
                {good.replace("[\"spidernet\", \"random\"]", "[{\"name\": \"spidernet\", \"space\": \"nosuch\"}, \"random\"]"),
                        "strategies[0].space: --space: strategy 'spidernet' searches its own space only"},
                {good.replace("[\"spidernet\", \"random\"]", "[\"spidernet\", {\"name\": \"random\", \"space\": \"nosuch\"}]"),
                        "strategies[1].space: --space 'nosuch': neither a known space"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path file = Files.writeString(tmp.resolve("plan-" + i + ".json"), cases[i][0]);
            Path out = tmp.resolve("out-" + i);
            CliRun r = CliRun.of("experiment", file.toString(), "--out", out.toString());
            assertTrue(r.isOneLineError(2), cases[i][1] + ": " + r.err());
            assertTrue(r.err().contains(file + ": " + cases[i][1]), "expected '" + cases[i][1] + "' in: " + r.err());
            assertFalse(Files.exists(out), "nothing may be written for a refused plan");
        }
        CliRun missing = CliRun.of("experiment", tmp.resolve("nope.json").toString(), "--out", tmp.resolve("o").toString());
        assertTrue(missing.isOneLineError(2) && missing.err().contains("nope.json: plan file not found"), missing.err());
        CliRun both = CliRun.of("experiment", plan.toString(), "--resume", full.toString());
        assertTrue(both.isOneLineError(2), both.err());
        CliRun flag = CliRun.of("experiment", "--resume", full.toString(), "--out", tmp.toString());
        assertTrue(flag.isOneLineError(2) && flag.err().contains("--out"), flag.err());
    }
}
