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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search process killed with SIGKILL (no shutdown hooks, no flushing) mid-run and then resumed
 * with {@code search --resume} ends with the same genome and test accuracy as an uninterrupted
 * run with the same seed. The in-process variant of this guarantee is {@code SearchResumeTest};
 * this one proves that what is on disk at an arbitrary kill is enough.
 */
class SearchKillResumeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> args(Path data, Path out, long seed) {
        return List.of("search", "--dataset", "mnist", "--data", data.toString(), "--backend", "reference",
                "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8", "--iterations", "1",
                "--epochs-per-iteration", "2", "--final-epochs", "2", "--inits", "1", "--seed", Long.toString(seed),
                "--no-progress", "--out", out.toString());
    }

    private static long checkpoints(Path events) throws IOException {
        if (!Files.exists(events)) {
            return 0;
        }
        return Files.readAllLines(events).stream().filter(l -> l.contains("\"event\":\"checkpoint\"")).count();
    }

    @Test
    void killedWithSigkillAndResumedEndsLikeTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);

        Path full = tmp.resolve("full");
        assertEquals(0, SpiderNet.execute(args(data, full, seed).toArray(String[]::new)), "uninterrupted run");

        Path killed = tmp.resolve("killed");
        int killAfter = 3; // after the first mutation round and two training epochs
        killAfterCheckpoints(tmp, data, killed, seed, killAfter);

        assertEquals(0, SpiderNet.execute("search", "--resume", killed.toString(), "--no-progress"), "resumed run");

        JsonNode a = MAPPER.readTree(full.resolve("summary.json").toFile());
        JsonNode b = MAPPER.readTree(killed.resolve("summary.json").toFile());
        assertEquals(MAPPER.readTree(full.resolve("genome.json").toFile()), MAPPER.readTree(killed.resolve("genome.json").toFile()),
                "seed " + seed + ": the found genome must not depend on the kill");
        assertEquals(a.get("test_accuracy").asDouble(), b.get("test_accuracy").asDouble(), 0.0, "seed " + seed);
        assertEquals(a.get("iterations").asInt(), b.get("iterations").asInt());
        assertTrue(Files.readAllLines(killed.resolve("events.jsonl")).stream().anyMatch(l -> l.contains("\"event\":\"run_resumed\"")));
    }

    /** Runs the search of {@link #args} in a child JVM and kills it with SIGKILL once it has logged {@code killAfter} checkpoints. */
    static void killAfterCheckpoints(Path tmp, Path data, Path killed, long seed, int killAfter) throws Exception {
        killAfterCheckpoints(tmp, args(data, killed, seed), killed, killAfter);
    }

    /** Runs {@code spidernet args} (writing to {@code killed}) in a child JVM and kills it with SIGKILL after {@code killAfter} checkpoints. */
    static void killAfterCheckpoints(Path tmp, List<String> args, Path killed, int killAfter) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SpiderNet.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (checkpoints(killed.resolve("events.jsonl")) < killAfter && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the child search ended before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "the child must have died of SIGKILL");
        assertFalse(Files.exists(killed.resolve("summary.json")), "killed before the end, so no summary yet");
    }
}
