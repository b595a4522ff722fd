package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.CheckpointStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code search --resume} after a SIGKILL with {@code checkpoint/} then damaged (one byte flipped in
 * a random file): it resumes from {@code checkpoint.previous/}, says so on stderr and in the event
 * log, and still finds the uninterrupted run's genome and test accuracy. The kill itself is
 * {@code SearchKillResumeTest}'s.
 */
class SearchCheckpointFallbackTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aCorruptCheckpointAfterAKillResumesFromThePreviousOneAndFindsTheSameNetwork(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        Random rnd = new Random(seed);
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path full = tmp.resolve("full");
        assertEquals(0, SpiderNet.execute(SearchKillResumeTest.args(data, full, seed).toArray(String[]::new)), "uninterrupted run");

        Path killed = tmp.resolve("killed");
        SearchKillResumeTest.killAfterCheckpoints(tmp, data, killed, seed, 3);
        // a copy whose state.json is not JSON at all: the search must not read it before verifying it (a CI failure)
        Path unparsable = tmp.resolve("unparsable");
        copyTree(killed, unparsable);

        Path ck = killed.resolve("checkpoint");
        // the kill may have come between two renames of the next write, leaving no checkpoint/: the fallback covers that too
        String damaged = "checkpoint/ is missing";
        if (Files.exists(ck)) {
            List<String> files = List.of("genome.json", Checkpoint.WEIGHTS, Checkpoint.STATE);
            String victim = files.get(rnd.nextInt(files.size()));
            Path f = ck.resolve(victim);
            byte[] b = Files.readAllBytes(f);
            b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
            Files.write(f, b);
            damaged = "checkpoint/ is corrupt (checkpoint/" + victim + ": SHA-256 mismatch (file changed or corrupt))";
        }
        assertResumesLikeTheUninterruptedRun(full, killed, damaged, seed);

        Path state = unparsable.resolve("checkpoint").resolve(Checkpoint.STATE);
        String damagedState = "checkpoint/ is missing";
        if (Files.exists(state)) {
            Files.writeString(state, "{\"kind\": Infinity");
            damagedState = "checkpoint/ is corrupt (checkpoint/" + Checkpoint.STATE + ": truncated: ";
        }
        assertResumesLikeTheUninterruptedRun(full, unparsable, damagedState, seed);
    }

    private static void assertResumesLikeTheUninterruptedRun(Path full, Path killed, String damaged, long seed) throws Exception {
        CliRun r = CliRun.of("search", "--resume", killed.toString(), "--no-progress");
        assertEquals(0, r.exit(), "seed " + seed + ": " + r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith(damaged) && l.contains("; resuming from checkpoint.previous/ (")).count(),
                "seed " + seed + ": " + r.err());

        JsonNode a = MAPPER.readTree(full.resolve("summary.json").toFile());
        JsonNode b = MAPPER.readTree(killed.resolve("summary.json").toFile());
        assertEquals(MAPPER.readTree(full.resolve("genome.json").toFile()), MAPPER.readTree(killed.resolve("genome.json").toFile()),
                "seed " + seed + ": the found genome must not depend on the fallback");
        assertEquals(a.get("test_accuracy").asDouble(), b.get("test_accuracy").asDouble(), 0.0, "seed " + seed);
        assertEquals(a.get("iterations").asInt(), b.get("iterations").asInt());
        assertEquals(1, Files.readAllLines(killed.resolve("events.jsonl")).stream()
                .filter(l -> l.contains("\"event\":\"" + CheckpointStore.FALLBACK_EVENT + "\"")).count());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
