package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code search --strategy nago} end to end on IDX fixtures with the reference backend: the
 * standard outputs plus BOHB's record, the accuracy-memory front and its plot, and the found
 * generator; the found network is the best configuration's; and a run killed with SIGKILL after
 * a random number of checkpoints resumes to the uninterrupted run's files.
 */
class NagoSearchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> args(Path data, Path out, long seed, int iterations) {
        return new ArrayList<>(List.of("search", "--strategy", "nago", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--batch", "8", "--validation", "8", "--iterations", Integer.toString(iterations),
                "--final-epochs", "1", "--seed", Long.toString(seed), "--option", "min-epochs=1", "--option", "max-epochs=2",
                "--option", "samples=1", "--option", "max-params=3000", "--no-progress", "--out", out.toString()));
    }

    @Test
    void writesBohbsRecordsAndTheFront(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of(args(data, out, seed, 1).toArray(String[]::new));
        assertEquals(0, r.exit(), "seed " + seed + ": " + r.err());
        for (String f : List.of("events.jsonl", "iterations.csv", "summary.json", "nago-network.json", "bohb.json",
                "pareto.json", "pareto.png", "generator.json", "checkpoint/state.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        JsonNode summary = MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals("nago", summary.get("strategy").asText());
        assertEquals("nago", summary.get("space").asText());
        assertEquals(1, summary.get("iterations").asInt());
        // bracket s = 1 of 1 -> 2 epochs: 2 configurations x 1 epoch, then the better one x 2 epochs, on 40 images
        assertEquals(4 * 40, summary.get("search_images").asLong());

        JsonNode bohb = MAPPER.readTree(out.resolve("bohb.json").toFile());
        assertEquals(2, bohb.get("configurations").size());
        JsonNode evals = bohb.get("evaluations");
        assertEquals(3, evals.size());
        assertEquals(List.of(0, 0, 1), List.of(evals.get(0).get("rung").asInt(), evals.get(1).get("rung").asInt(),
                evals.get(2).get("rung").asInt()));
        int promoted = evals.get(0).get("validation_accuracy").asDouble() >= evals.get(1).get("validation_accuracy").asDouble()
                ? 0 : 1;
        assertEquals(promoted, evals.get(2).get("configuration").asInt(), "the more accurate configuration goes on, ties the earlier");
        assertEquals(2, evals.get(2).get("epochs").asInt());
        // max-params picks the width, but a large generator's graph at width 1 may still be over: only > 0 holds always
        assertTrue(evals.get(2).get("params").asLong() > 0);

        JsonNode pareto = MAPPER.readTree(out.resolve("pareto.json").toFile());
        assertEquals(1, pareto.get("networks").asInt(), "one network trained at the largest budget");
        assertEquals(1, pareto.get("front").size());
        JsonNode generator = MAPPER.readTree(out.resolve("generator.json").toFile());
        assertEquals(promoted, generator.get("configuration").asInt());
        assertEquals(8, generator.get("parameters").size());
        // the networks the best generator drew (one sample per configuration here); the found one is among them
        assertEquals(1, generator.get("networks").size());
        assertEquals(MAPPER.readTree(out.resolve("nago-network.json").toFile()), generator.get("networks").get(0).get("network"));
        assertEquals(1, bohb.get("hypervolume").size());
        assertEquals(pareto.get("hypervolume").asDouble(), bohb.get("hypervolume").get(0).get("hypervolume").asDouble(), 0.0);
    }

    @Test
    void resumesIdenticallyAfterAKill(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path full = tmp.resolve("full");
        // two brackets: the second's configurations are proposed from the first's observations
        CliRun r = CliRun.of(args(data, full, seed, 2).toArray(String[]::new));
        assertEquals(0, r.exit(), "seed " + seed + ": " + r.err());
        assertEquals(5, MAPPER.readTree(full.resolve("bohb.json").toFile()).get("evaluations").size(),
                "bracket 1 runs 3 jobs, bracket 0 two at 2 epochs");

        int killAfter = 1 + new Random(seed).nextInt(5);
        Path killed = tmp.resolve("killed");
        SearchKillResumeTest.killAfterCheckpoints(tmp, args(data, killed, seed, 2), killed, killAfter);
        CliRun resumed = CliRun.of("search", "--resume", killed.toString(), "--no-progress");
        assertEquals(0, resumed.exit(), "seed " + seed + ", killed after " + killAfter + ": " + resumed.err());
        for (String f : List.of("nago-network.json", "generator.json", "pareto.json", "bohb.json")) {
            assertEquals(withoutSeconds(MAPPER.readTree(full.resolve(f).toFile())),
                    withoutSeconds(MAPPER.readTree(killed.resolve(f).toFile())),
                    f + ": seed " + seed + ", killed after " + killAfter + " checkpoints");
        }
        assertEquals(MAPPER.readTree(full.resolve("summary.json").toFile()).get("test_accuracy").asDouble(),
                MAPPER.readTree(killed.resolve("summary.json").toFile()).get("test_accuracy").asDouble(), 0.0, "seed " + seed);
    }

    /** The JSON without its "seconds" fields, which are the run's own wall time. */
    private static JsonNode withoutSeconds(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("seconds");
        }
        n.forEach(NagoSearchTest::strip);
    }
}
