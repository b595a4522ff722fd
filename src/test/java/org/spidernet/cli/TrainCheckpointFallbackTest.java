package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.CheckpointManifest;
import org.spidernet.io.CheckpointStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.cli.TrainResumeTest.Result;
import static org.spidernet.cli.TrainResumeTest.run;
import static org.spidernet.cli.TrainResumeTest.train;

/**
 * {@code train --resume} when {@code checkpoint/} fails its manifest (a flipped byte in a random
 * file, a truncated file, no manifest) or is missing: it resumes from {@code checkpoint.previous/},
 * one epoch further back, says so on stderr and in the event log, and still ends with the
 * uninterrupted run's summary, metrics rows and weights; when both are bad it is one error naming
 * both faults, exit 1, and nothing is written.
 */
class TrainCheckpointFallbackTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FILES = List.of(Checkpoint.GENOME, Checkpoint.WEIGHTS, Checkpoint.STATE);

    @Test
    void aCorruptOrMissingCheckpointResumesFromThePreviousOneAndEndsLikeTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Random rnd = new Random(seed);
        int epochs = 3;
        int k = 2; // crashed after epoch 2: checkpoint/ holds epoch 2, checkpoint.previous/ epoch 1
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path full = tmp.resolve("full");
        assertEquals(0, run(train(data, full, seed, epochs)).exit());

        String victim = FILES.get(rnd.nextInt(FILES.size()));
        record Damage(String name, String expected) {
        }
        for (Damage d : List.of(
                new Damage("flip", "(checkpoint/" + victim + ": SHA-256 mismatch (file changed or corrupt))"),
                new Damage("truncate", "(checkpoint/" + Checkpoint.WEIGHTS + ": truncated: "),
                new Damage("no-manifest", "(checkpoint/" + CheckpointManifest.NAME + ": missing"),
                new Damage("no-checkpoint", "checkpoint/ is missing"))) {
            String where = "seed " + seed + ", " + d.name();
            Path crashed = tmp.resolve("crashed-" + d.name());
            assertEquals(1, run(k, train(data, crashed, seed, epochs)).exit(), where);
            Path ck = crashed.resolve("checkpoint");
            switch (d.name()) {
                case "flip" -> {
                    Path f = ck.resolve(victim);
                    byte[] b = Files.readAllBytes(f);
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                    Files.write(f, b);
                }
                case "truncate" -> {
                    Path f = ck.resolve(Checkpoint.WEIGHTS);
                    byte[] b = Files.readAllBytes(f);
                    Files.write(f, Arrays.copyOf(b, rnd.nextInt(b.length)));
                }
                case "no-manifest" -> Files.delete(ck.resolve(CheckpointManifest.NAME));
                default -> org.spidernet.io.AtomicFiles.deleteRecursively(ck);
            }

            Result r = run("train", "--resume", crashed.toString(), "--no-progress");
            assertEquals(0, r.exit(), where + ": " + r.err());
            List<String> said = r.err().lines().filter(l -> l.contains("resuming from checkpoint.previous/")).toList();
            assertEquals(1, said.size(), where + ": " + r.err());
            assertTrue(said.get(0).contains(d.expected()) && said.get(0).endsWith("resuming from checkpoint.previous/ (epoch "
                    + (k - 1) + ")"), where + ": " + said.get(0));
            assertTrue(r.err().contains("resuming after epoch " + (k - 1) + " of " + epochs), where + ": " + r.err());

            assertEquals(TrainResumeTest.result(full), TrainResumeTest.result(crashed), where);
            assertEquals(TrainResumeTest.metricsWithoutTimings(full), TrainResumeTest.metricsWithoutTimings(crashed), where);
            TrainResumeTest.assertSameWeights(full, crashed, where);
            var fallbacks = Files.readAllLines(crashed.resolve("events.jsonl")).stream().map(l -> {
                try {
                    return MAPPER.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).filter(e -> e.path("event").asText().equals(CheckpointStore.FALLBACK_EVENT)).toList();
            assertEquals(1, fallbacks.size(), where);
            assertEquals("epoch " + (k - 1), fallbacks.get(0).get("position").asText(), where);
            assertTrue(fallbacks.get(0).get("reason").asText().contains(d.expected()), where + ": " + fallbacks.get(0));
        }
    }

    @Test
    void bothCheckpointsCorruptIsOneErrorNamingBothAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path crashed = tmp.resolve("crashed");
        assertEquals(1, run(2, train(data, crashed, 7, 3)).exit());
        Path ck = crashed.resolve("checkpoint");
        Path weights = ck.resolve(Checkpoint.WEIGHTS);
        byte[] b = Files.readAllBytes(weights);
        b[b.length - 1] ^= 1;
        Files.write(weights, b);
        Path prevState = CheckpointStore.previousOf(ck).resolve(Checkpoint.STATE);
        Files.write(prevState, Arrays.copyOf(Files.readAllBytes(prevState), 10));
        byte[] events = Files.readAllBytes(crashed.resolve("events.jsonl"));
        byte[] metrics = Files.readAllBytes(crashed.resolve("metrics.csv"));

        Result r = run("train", "--resume", crashed.toString(), "--no-progress");
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("spidernet: error: " + ck + ": corrupt (checkpoint/weights.bin: SHA-256 mismatch")
                && r.err().contains("checkpoint.previous/ is corrupt too (checkpoint.previous/state.json: truncated: 10 bytes")
                && r.err().contains("no good checkpoint to resume from"), r.err());
        assertArrayEquals(events, Files.readAllBytes(crashed.resolve("events.jsonl")), "nothing may be written");
        assertArrayEquals(metrics, Files.readAllBytes(crashed.resolve("metrics.csv")), "nothing may be written");
    }
}
