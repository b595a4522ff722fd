package org.spidernet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.io.EventLog;
import org.spidernet.search.SearchConfig;

/**
 * An experiment whose pair search runs several pairs at once hands it every pair still to run in
 * one batch and records the outcomes in plan order, as one by one would: the same results, the
 * failures kept in {@code failure.json} and not retried, and a resume that runs only what is left.
 */
class ExperimentRunBatchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Writes a summary with an accuracy drawn from the pair's seed, or fails the pairs of seed 2. */
    private static final class DrawnPairs implements PairSearch {
        private final int parallelism;
        final List<List<String>> batches = new ArrayList<>();
        final List<String> oneByOne = new ArrayList<>();

        DrawnPairs(int parallelism) {
            this.parallelism = parallelism;
        }

        private static String summary(Pair p) {
            double accuracy = new Random(p.seed() * 31 + p.strategy().label().hashCode()).nextDouble();
            return "{\"test_accuracy\": " + accuracy + ", \"params\": 10, \"peak_memory_bytes\": 20, \"edges\": 3, "
                    + "\"search_images\": 80, \"wall_seconds\": 1.5}";
        }

        @Override
        public void start(Pair pair, SearchConfig config, Path dir) throws Exception {
            oneByOne.add(pair.directoryName());
            if (pair.seed() == 2) {
                throw new IllegalStateException("drawn failure of " + pair);
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.json"), summary(pair));
        }

        @Override
        public void resume(Pair pair, Path dir) throws Exception {
            start(pair, null, dir);
        }

        @Override
        public int parallelism() {
            return parallelism;
        }

        @Override
        public List<PairFailure> runAll(List<PendingPair> pairs) throws Exception {
            batches.add(pairs.stream().map(p -> p.pair().directoryName()).toList());
            List<PairFailure> out = new ArrayList<>();
            for (PendingPair p : pairs) {
                if (p.pair().seed() == 2) {
                    out.add(new PairFailure(IllegalStateException.class.getName(), "drawn failure of " + p.pair()));
                } else {
                    Files.createDirectories(p.dir());
                    Files.writeString(p.dir().resolve("summary.json"), summary(p.pair()));
                    out.add(null);
                }
            }
            return out;
        }
    }

    private static Map<Pair, SearchConfig> pairs() {
        Map<Pair, SearchConfig> m = new LinkedHashMap<>();
        for (String s : List.of("spidernet", "random")) {
            for (long seed = 1; seed <= 3; seed++) {
                m.put(new Pair(new PlanStrategy(s, s, Map.of(), null), seed), null);
            }
        }
        return m;
    }

    private static List<String> results(List<PairResult> rs) {
        return rs.stream().map(r -> r.pair().directoryName() + " " + r.status() + " " + r.value(Measure.TEST_ACCURACY) + " "
                + r.error()).toList();
    }

    @Test
    void aBatchIsRecordedInPlanOrderAsOneByOne(@TempDir Path tmp) throws Exception {
        DrawnPairs sequential = new DrawnPairs(1);
        List<PairResult> expected;
        try (EventLog log = new EventLog(tmp.resolve("a").resolve("events.jsonl"))) {
            expected = new ExperimentRun(pairs(), tmp.resolve("a"), sequential, log).run();
        }
        DrawnPairs wide = new DrawnPairs(4);
        List<PairResult> got;
        try (EventLog log = new EventLog(tmp.resolve("b").resolve("events.jsonl"))) {
            got = new ExperimentRun(pairs(), tmp.resolve("b"), wide, log).run();
        }
        assertEquals(6, sequential.oneByOne.size());
        assertEquals(List.of(List.of("spidernet-s1", "spidernet-s2", "spidernet-s3", "random-s1", "random-s2", "random-s3")),
                wide.batches, "one batch of every pair, in plan order");
        assertEquals(results(expected), results(got));
        assertEquals(2, got.stream().filter(r -> !r.ok()).count());
        for (String dir : List.of("a", "b")) {
            JsonNode f = MAPPER.readTree(tmp.resolve(dir).resolve("pairs/random-s2").resolve(ExperimentRun.FAILURE).toFile());
            assertEquals(IllegalStateException.class.getName(), f.get("error_type").asText(), dir);
            List<String> events = Files.readAllLines(tmp.resolve(dir).resolve("events.jsonl"));
            assertEquals(6, events.stream().filter(e -> e.contains("\"pair_start\"")).count(), dir + ": " + events);
            assertEquals(4, events.stream().filter(e -> e.contains("\"pair_end\"")).count(), dir);
            assertEquals(2, events.stream().filter(e -> e.contains("\"pair_failed\"")).count(), dir);
        }

        // a resume never retries a failed pair (its failure.json); these fakes write no checkpoint marked done,
        // so every other pair is handed over again, and gives its result again
        DrawnPairs again = new DrawnPairs(4);
        List<PairResult> resumed;
        Path b = tmp.resolve("b");
        Files.delete(b.resolve("pairs/random-s3/summary.json"));
        try (EventLog log = new EventLog(b.resolve("events.jsonl"))) {
            resumed = new ExperimentRun(pairs(), b, again, log).run();
        }
        assertTrue(again.batches.get(0).contains("random-s3"));
        assertTrue(again.batches.get(0).stream().noneMatch(n -> n.endsWith("-s2")), "failed pairs are not retried: " + again.batches);
        assertEquals(results(expected), results(resumed));
    }
}
