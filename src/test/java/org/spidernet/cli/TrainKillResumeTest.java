package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A train process killed with SIGKILL in the middle of its second epoch (no shutdown hooks, no
 * flushing) and continued with {@code train --resume} ends with the summary, metrics rows and
 * weights of an uninterrupted run with the same seed: what is on disk at an arbitrary kill is
 * enough. The in-process variant, resuming after each epoch, is {@code TrainResumeTest}.
 */
class TrainKillResumeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<JsonNode> events(Path run, String name) throws IOException {
        Path f = run.resolve("events.jsonl");
        List<JsonNode> list = new ArrayList<>();
        if (!Files.exists(f)) {
            return list;
        }
        for (String line : Files.readAllLines(f)) {
            // the child may be halfway through a line
            if (line.contains("\"event\":\"" + name + "\"") && line.endsWith("}")) {
                list.add(MAPPER.readTree(line));
            }
        }
        return list;
    }

    /** The first epoch's training seconds, once the checkpoint after it is written (the second epoch then starts at once). */
    private static Optional<Double> secondEpochStarted(Path run) throws IOException {
        boolean checkpointed = events(run, "checkpoint").stream().anyMatch(e -> e.path("epochs_completed").asInt() == 1);
        List<JsonNode> epochs = events(run, "epoch");
        return checkpointed && !epochs.isEmpty() ? Optional.of(epochs.get(0).get("seconds").asDouble()) : Optional.empty();
    }

    @Test
    void killedMidEpochAndResumedEndsLikeTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        // big enough for an epoch to last about a second in the child, so the kill lands inside one
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 328, 16, 12, 12);
        Path full = tmp.resolve("full");
        String[] fullArgs = TrainResumeTest.train(data, full, seed, 3);
        assertEquals(0, SpiderNet.execute(fullArgs), "uninterrupted run");

        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), SpiderNet.class.getName()));
        cmd.addAll(List.of(TrainResumeTest.train(data, killed, seed, 3)));
        Path childLog = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Optional<Double> firstEpochSeconds = Optional.empty();
        while (p.isAlive() && System.nanoTime() < deadline && (firstEpochSeconds = secondEpochStarted(killed)).isEmpty()) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive() && firstEpochSeconds.isPresent(),
                "the child ended or stalled before its second epoch: " + Files.readString(childLog));
        Thread.sleep((long) (firstEpochSeconds.get() * 1000 / 4)); // into the second epoch (warmer, so faster than the first)
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "the child must have died of SIGKILL");
        assertEquals(1, events(killed, "epoch").size(), "killed in the second epoch, before it ended (first took "
                + firstEpochSeconds.get() + " s)");
        assertFalse(Files.exists(killed.resolve("summary.json")));

        assertEquals(0, SpiderNet.execute("train", "--resume", killed.toString(), "--no-progress"), "resumed run");
        String where = "seed " + seed;
        assertEquals(TrainResumeTest.result(full), TrainResumeTest.result(killed), where);
        assertEquals(TrainResumeTest.metricsWithoutTimings(full), TrainResumeTest.metricsWithoutTimings(killed), where);
        TrainResumeTest.assertSameWeights(full, killed, where);
        assertEquals(1, events(killed, "run_resumed").size());
        assertEquals(3, events(killed, "epoch").size(), "the epoch the kill cut short ran again, once");
    }
}
