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
 * {@code search --strategy autospace} end to end on IDX fixtures with the reference backend: the
 * standard outputs plus the learned space, the populations record and the fitness plot; the found
 * network is each population's best, which heads the learned space; and a run killed with
 * SIGKILL after a random number of checkpoints resumed to the uninterrupted run's files.
 */
class AutoSpaceSearchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> args(Path data, Path out, long seed) {
        return new ArrayList<>(List.of("search", "--strategy", "autospace", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--iterations", "3", "--epochs-per-iteration", "1", "--final-epochs", "1", "--seed", Long.toString(seed),
                "--option", "population=4", "--option", "cells=2", "--option", "space-cells=3", "--option", "tournament=2",
                "--no-progress", "--out", out.toString()));
    }

    @Test
    void writesTheLearnedSpaceAndResumesIdenticallyAfterAKill(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path full = tmp.resolve("full");
        CliRun r = CliRun.of(args(data, full, seed).toArray(String[]::new));
        assertEquals(0, r.exit(), "seed " + seed + ": " + r.err());
        for (String f : List.of("events.jsonl", "iterations.csv", "summary.json", "autospace-network.json", "cells.dot",
                "weights.bin", "learned-space.json", "populations.json", "fitness.png", "checkpoint/state.json")) {
            assertTrue(Files.isRegularFile(full.resolve(f)), f + " missing");
        }
        JsonNode summary = MAPPER.readTree(full.resolve("summary.json").toFile());
        assertEquals("autospace", summary.get("strategy").asText());
        assertEquals("autospace", summary.get("space").asText());
        assertEquals(3, summary.get("iterations").asInt());
        // 3 steps x 1 epoch x 40 images (48 less 8 held out)
        assertEquals(120, summary.get("search_images").asLong());

        JsonNode pops = MAPPER.readTree(full.resolve("populations.json").toFile());
        assertEquals(3, pops.get("steps").size());
        JsonNode space = MAPPER.readTree(full.resolve("learned-space.json").toFile());
        JsonNode found = MAPPER.readTree(full.resolve("autospace-network.json").toFile());
        assertEquals("autospace-space", space.get("format").asText());
        assertEquals(2, space.get("layers").size(), "--reductions 1: two layers");
        for (int l = 0; l < 2; l++) {
            JsonNode layer = space.get("layers").get(l);
            assertEquals(3, layer.get("cells").size());
            assertEquals(layer.get("cells").get(0).asText(), found.get("layers").get(l).get("cell").asText(),
                    "the found network takes each layer's best cell, which heads the learned space");
            assertEquals(4, pops.get("populations").get(l).size(), "the population keeps its size");
            for (JsonNode step : pops.get("steps")) {
                JsonNode mixed = step.get("layers").get(l).get("mixed");
                assertEquals(2, mixed.size());
                assertTrue(mixed.get(0).get("reference").asBoolean());
                assertEquals(1.0, mixed.get(0).get("weight").asDouble() + mixed.get(1).get("weight").asDouble(), 1e-9,
                        "softmax weights of a layer sum to 1");
            }
            double previous = Double.POSITIVE_INFINITY;
            for (JsonNode f : layer.get("fitness")) {
                assertTrue(f.asDouble() <= previous, "best first");
                previous = f.asDouble();
            }
        }

        int killAfter = 1 + new Random(seed).nextInt(4);
        Path killed = tmp.resolve("killed");
        SearchKillResumeTest.killAfterCheckpoints(tmp, args(data, killed, seed), killed, killAfter);
        CliRun resumed = CliRun.of("search", "--resume", killed.toString(), "--no-progress");
        assertEquals(0, resumed.exit(), "seed " + seed + ", killed after " + killAfter + ": " + resumed.err());
        for (String f : List.of("autospace-network.json", "learned-space.json", "populations.json")) {
            assertEquals(MAPPER.readTree(full.resolve(f).toFile()), MAPPER.readTree(killed.resolve(f).toFile()),
                    f + ": seed " + seed + ", killed after " + killAfter + " checkpoints");
        }
        assertEquals(summary.get("test_accuracy").asDouble(), MAPPER.readTree(killed.resolve("summary.json").toFile())
                .get("test_accuracy").asDouble(), 0.0, "seed " + seed);
    }

    @Test
    void randomSearchAndDartsSearchTheLearnedSpace(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path evolved = tmp.resolve("autospace");
        List<String> a = args(data, evolved, seed);
        a.set(a.indexOf("--iterations") + 1, "1");
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertEquals(0, r.exit(), "seed " + seed + ": " + r.err());
        Path spaceFile = evolved.resolve("learned-space.json");
        JsonNode space = MAPPER.readTree(spaceFile.toFile());
        for (String strategy : List.of("random", "darts")) {
            Path out = tmp.resolve(strategy);
            CliRun s = CliRun.of("search", "--strategy", strategy, "--space", spaceFile.toString(), "--dataset", "mnist",
                    "--data", data.toString(), "--backend", "reference", "--batch", "8", "--validation", "8", "--iterations", "2",
                    "--epochs-per-iteration", "1", "--final-epochs", "1", "--seed", Long.toString(seed), "--no-progress",
                    "--out", out.toString());
            assertEquals(0, s.exit(), strategy + ", seed " + seed + ": " + s.err());
            assertEquals("autospace", MAPPER.readTree(out.resolve("summary.json").toFile()).get("space").asText(), strategy);
            JsonNode found = MAPPER.readTree(out.resolve("autospace-network.json").toFile());
            for (int l = 0; l < space.get("layers").size(); l++) {
                String cell = found.get("layers").get(l).get("cell").asText();
                boolean offered = false;
                for (JsonNode c : space.get("layers").get(l).get("cells")) {
                    offered |= c.asText().equals(cell);
                }
                assertTrue(offered, strategy + " found layer " + l + "'s cell " + cell + " outside the learned space " + space);
            }
        }
    }
}
