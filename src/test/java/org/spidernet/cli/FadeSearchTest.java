package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code search --strategy fade} end to end on IDX fixtures with the reference backend: the
 * standard outputs plus regions.json (every region of every generation with its ranks and the
 * step that followed), and a run killed with SIGKILL after a random number of checkpoints (inside
 * a generation or after its step) resumed to the uninterrupted run's network and accuracy.
 */
class FadeSearchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> args(Path data, Path out, long seed) {
        return new ArrayList<>(List.of("search", "--strategy", "fade", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--iterations", "2", "--epochs-per-iteration", "1", "--final-epochs", "1", "--seed", Long.toString(seed),
                "--option", "stages=2", "--option", "cells=2", "--option", "regions=2", "--option", "max-vertices=4",
                "--no-progress", "--out", out.toString()));
    }

    @Test
    void writesTheRegionsAndResumesIdenticallyAfterAKill(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path full = tmp.resolve("full");
        CliRun r = CliRun.of(args(data, full, seed).toArray(String[]::new));
        assertEquals(0, r.exit(), "seed " + seed + ": " + r.err());
        for (String f : List.of("events.jsonl", "iterations.csv", "summary.json", "fade-network.json", "cells.dot", "weights.bin",
                "regions.json", "checkpoint/state.json")) {
            assertTrue(Files.isRegularFile(full.resolve(f)), f + " missing");
        }
        JsonNode summary = MAPPER.readTree(full.resolve("summary.json").toFile());
        assertEquals("fade", summary.get("strategy").asText());
        assertEquals("fade", summary.get("space").asText());
        assertEquals(2, summary.get("iterations").asInt());
        // every region of every generation counts: 2 generations x 2 regions x 1 epoch x 40 images (48 less 8 held out)
        assertEquals(160, summary.get("search_images").asLong());
        JsonNode regions = MAPPER.readTree(full.resolve("regions.json").toFile());
        assertEquals(2, regions.size(), "two generations");
        for (JsonNode g : regions) {
            assertEquals(2, g.get("regions").size());
            for (JsonNode region : g.get("regions")) {
                assertEquals(2, region.get("stages").size());
                assertEquals(4, region.get("top").size(), "all 2^2 architectures of the region, ranked");
                double previous = Double.POSITIVE_INFINITY;
                for (JsonNode a : region.get("top")) {
                    assertTrue(a.get("log_score").asDouble() <= previous, "best first");
                    previous = a.get("log_score").asDouble();
                }
            }
            assertTrue(g.has("step"), "every generation of a finished search has its step");
        }
        // the found network is the centre after the last step
        JsonNode found = MAPPER.readTree(full.resolve("fade-network.json").toFile());
        JsonNode lastStep = regions.get(1).get("step").get("centre_after");
        for (int s = 0; s < 2; s++) {
            assertEquals(lastStep.get(s).asText(), found.get("stages").get(s).get("cell").asText());
            assertEquals(regions.get(1).get("centre").get(s).asText(), regions.get(1).get("regions").get(0).get("stages").get(s)
                    .get("cells").get(0).asText(), "a region's first candidate is the centre's cell");
        }

        int killAfter = 1 + new Random(seed).nextInt(5);
        Path killed = tmp.resolve("killed");
        SearchKillResumeTest.killAfterCheckpoints(tmp, args(data, killed, seed), killed, killAfter);
        CliRun resumed = CliRun.of("search", "--resume", killed.toString(), "--no-progress");
        assertEquals(0, resumed.exit(), "seed " + seed + ", killed after " + killAfter + ": " + resumed.err());
        assertEquals(MAPPER.readTree(full.resolve("fade-network.json").toFile()), MAPPER.readTree(killed.resolve("fade-network.json").toFile()),
                "seed " + seed + ", killed after " + killAfter + " checkpoints");
        assertEquals(MAPPER.readTree(full.resolve("regions.json").toFile()), MAPPER.readTree(killed.resolve("regions.json").toFile()),
                "seed " + seed + ", killed after " + killAfter + " checkpoints");
        assertEquals(summary.get("test_accuracy").asDouble(), MAPPER.readTree(killed.resolve("summary.json").toFile())
                .get("test_accuracy").asDouble(), 0.0, "seed " + seed);
    }

    @Test
    void theImageBudgetCountsEveryRegion(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path out = tmp.resolve("limited");
        List<String> a = args(data, out, 1);
        a.set(a.indexOf("--iterations") + 1, "5");
        a.addAll(List.of("--max-images", "100"));
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        JsonNode summary = MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals("image limit reached (160 training images seen, limit 100)", summary.get("stop_reason").asText());
        assertEquals(2, summary.get("iterations").asInt());
    }
}
