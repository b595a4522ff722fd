package org.spidernet.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CheckpointStore}: each write keeps the checkpoint it replaces as {@code checkpoint.previous/},
 * and resolving for a resume takes {@code checkpoint/} when it verifies, falls back to the previous
 * one (saying why) when it is corrupt or missing, and fails naming both faults when both are bad.
 */
class CheckpointStoreTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static int epoch(Path dir) throws IOException {
        return Checkpoint.read(dir, Checkpoint.GENOME).state().get("epochs_completed").asInt();
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void flipAByte(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 0x40;
        Files.write(f, b);
    }

    @Test
    void eachWriteKeepsTheOneItReplacesAsPrevious(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(4);
        Path current = tmp.resolve("checkpoint");
        CheckpointManifestTest.checkpoint(rnd, 0).write(current);
        assertEquals(List.of("checkpoint"), entries(tmp), "the first write has nothing to keep");
        for (int epoch = 1; epoch <= 3; epoch++) {
            CheckpointManifestTest.checkpoint(rnd, epoch).write(current);
            assertEquals(List.of("checkpoint", "checkpoint.previous"), entries(tmp), "no staging or retired directory left");
            assertEquals(epoch, epoch(current));
            assertEquals(epoch - 1, epoch(CheckpointStore.previousOf(current)));
        }
    }

    @Test
    void aWriteAfterACrashBetweenTheRenamesKeepsTheOnlyGoodCheckpoint(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(5);
        Path current = tmp.resolve("checkpoint");
        Path previous = CheckpointStore.previousOf(current);
        CheckpointManifestTest.checkpoint(rnd, 0).write(current);
        CheckpointManifestTest.checkpoint(rnd, 1).write(current);
        // a crash after step 2 of the swap: checkpoint/ renamed away, the new one not yet in; leftovers of a crash too
        AtomicFiles.deleteRecursively(previous);
        Files.move(current, previous);
        Files.createDirectories(tmp.resolve("checkpoint.staging"));
        Files.createDirectories(tmp.resolve("checkpoint.retired"));
        CheckpointStore.Resolved r = CheckpointStore.resolve(current);
        assertEquals(previous, r.dir());
        assertEquals("checkpoint/ is missing; resuming from checkpoint.previous/ (epoch 1)", r.fallbackLine("epoch 1"));

        CheckpointManifestTest.checkpoint(rnd, 2).write(current);
        assertEquals(2, epoch(current));
        assertEquals(1, epoch(previous), "the previous checkpoint was the only good one: it stays");
        assertEquals(List.of("checkpoint", "checkpoint.previous"), entries(tmp));
    }

    @Test
    void resolveTakesTheCurrentOneWhenItVerifies(@TempDir Path tmp) throws IOException {
        Path current = tmp.resolve("checkpoint");
        CheckpointManifestTest.checkpoint(new Random(6), 0).write(current);
        CheckpointManifestTest.checkpoint(new Random(7), 1).write(current);
        CheckpointStore.Resolved r = CheckpointStore.resolve(current);
        assertEquals(current, r.dir());
        assertFalse(r.fellBack());
        assertNull(r.reason());
    }

    @Test
    void aCorruptCurrentFallsBackToThePreviousSayingWhyAndLoggingIt(@TempDir Path tmp) throws IOException {
        Path current = tmp.resolve("checkpoint");
        CheckpointManifestTest.checkpoint(new Random(8), 4).write(current);
        CheckpointManifestTest.checkpoint(new Random(9), 5).write(current);
        flipAByte(current.resolve(Checkpoint.WEIGHTS));
        CheckpointStore.Resolved r = CheckpointStore.resolve(current);
        assertEquals(CheckpointStore.previousOf(current), r.dir());
        assertEquals(4, epoch(r.dir()));
        assertEquals("checkpoint/ is corrupt (checkpoint/weights.bin: SHA-256 mismatch (file changed or corrupt)); "
                + "resuming from checkpoint.previous/ (epoch 4)", r.fallbackLine("epoch 4"));

        Path events = tmp.resolve("events.jsonl");
        try (EventLog log = new EventLog(events)) {
            r.logFallback(log, "epoch 4");
        }
        var ev = MAPPER.readTree(Files.readAllLines(events).get(0));
        assertEquals(CheckpointStore.FALLBACK_EVENT, ev.get("event").asText());
        assertEquals(current.toString(), ev.get("skipped").asText());
        assertEquals(r.dir().toString(), ev.get("resumed_from").asText());
        assertTrue(ev.get("reason").asText().contains("checkpoint/weights.bin: SHA-256 mismatch"), ev.toString());
        assertEquals("epoch 4", ev.get("position").asText());
    }

    @Test
    void bothCorruptIsOneErrorNamingBothFaults(@TempDir Path tmp) throws IOException {
        Path current = tmp.resolve("checkpoint");
        CheckpointManifestTest.checkpoint(new Random(10), 1).write(current);
        CheckpointManifestTest.checkpoint(new Random(11), 2).write(current);
        flipAByte(current.resolve(Checkpoint.STATE));
        Files.delete(CheckpointStore.previousOf(current).resolve(CheckpointManifest.NAME));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> CheckpointStore.resolve(current));
        assertEquals(current + ": corrupt (checkpoint/state.json: SHA-256 mismatch (file changed or corrupt)), and "
                + "checkpoint.previous/ is corrupt too (checkpoint.previous/manifest.json: missing (the checkpoint cannot be "
                + "verified)): no good checkpoint to resume from", e.getMessage());

        AtomicFiles.deleteRecursively(current);
        e = assertThrows(CorruptCheckpointException.class, () -> CheckpointStore.resolve(current));
        assertTrue(e.getMessage().startsWith(current + ": missing, and checkpoint.previous/ is corrupt too"), e.getMessage());
    }

    @Test
    void aCorruptCurrentWithoutAPreviousIsItsOwnFault(@TempDir Path tmp) throws IOException {
        Path current = tmp.resolve("checkpoint");
        CheckpointManifestTest.checkpoint(new Random(12), 0).write(current);
        flipAByte(current.resolve(Checkpoint.GENOME));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> CheckpointStore.resolve(current));
        assertEquals(current.resolve(Checkpoint.GENOME) + ": SHA-256 mismatch (file changed or corrupt)", e.getMessage());
        // neither there: the caller says what is missing in its own words
        Path none = tmp.resolve("none/checkpoint");
        assertFalse(CheckpointStore.exists(none));
        assertEquals(none, CheckpointStore.resolve(none).dir());
    }
}
