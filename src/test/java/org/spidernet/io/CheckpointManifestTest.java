package org.spidernet.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint's {@code manifest.json} catches every kind of damage before anything is parsed:
 * one flipped byte anywhere in any file, a truncated file, a missing file or manifest; each is a
 * {@link CorruptCheckpointException} whose one-line message names the file and the fault.
 */
class CheckpointManifestTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FILES = List.of(Checkpoint.GENOME, Checkpoint.WEIGHTS, Checkpoint.STATE);

    static Checkpoint checkpoint(Random rnd, int epoch) {
        Map<String, double[]> w = new LinkedHashMap<>();
        for (String k : List.of("cell0/conv/weight", "momentum/cell0/conv/weight", "bn/running_mean")) {
            double[] v = new double[1 + rnd.nextInt(200)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextGaussian();
            }
            w.put(k, v);
        }
        return new Checkpoint(Checkpoint.GENOME, "{\"channels\": 2, \"epoch\": " + epoch + "}", w,
                MAPPER.createObjectNode().put("kind", "train").put("epochs_completed", epoch));
    }

    private static CorruptCheckpointException corrupt(Path dir) {
        return assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir, Checkpoint.GENOME));
    }

    @Test
    void aWrittenCheckpointListsEveryFileAndReadsBack(@TempDir Path tmp) throws IOException {
        Checkpoint ck = checkpoint(new Random(1), 3);
        Path dir = tmp.resolve("checkpoint");
        ck.write(dir);
        var manifest = MAPPER.readTree(dir.resolve(CheckpointManifest.NAME).toFile());
        assertEquals(CheckpointManifest.VERSION, manifest.get("version").asInt());
        assertEquals(FILES.stream().sorted().toList(),
                MAPPER.convertValue(manifest.get("files").findValuesAsText("name"), List.class));
        for (var e : manifest.get("files")) {
            Path f = dir.resolve(e.get("name").asText());
            assertEquals(Files.size(f), e.get("bytes").asLong(), f.toString());
            assertEquals(CheckpointManifest.sha256(f), e.get("sha256").asText(), f.toString());
        }
        Checkpoint back = Checkpoint.read(dir, Checkpoint.GENOME);
        assertEquals(ck.architecture(), back.architecture());
        assertEquals(ck.state(), back.state());
        for (String k : ck.weights().keySet()) {
            assertArrayEquals(ck.weights().get(k), back.weights().get(k), 0.0, k);
        }
    }

    @Test
    void oneFlippedByteInAnyFileIsDetectedNamingTheFile(@TempDir Path tmp) throws IOException {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 20; trial++) {
            Path dir = tmp.resolve("ck" + trial);
            checkpoint(rnd, trial).write(dir);
            String name = FILES.get(rnd.nextInt(FILES.size()));
            Path f = dir.resolve(name);
            byte[] b = Files.readAllBytes(f);
            int at = rnd.nextInt(b.length);
            b[at] ^= (byte) (1 + rnd.nextInt(255)); // never a no-op
            Files.write(f, b);
            CorruptCheckpointException e = corrupt(dir);
            String where = "seed " + seed + ", trial " + trial + ", byte " + at + " of " + name;
            assertEquals(f + ": SHA-256 mismatch (file changed or corrupt)", e.getMessage(), where);
            assertEquals("ck" + trial + "/" + name + ": SHA-256 mismatch (file changed or corrupt)", e.shortMessage(), where);
            assertEquals(1, e.getMessage().lines().count(), where);
        }
    }

    @Test
    void aTruncatedFileIsDetectedWithBothLengths(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoint");
        checkpoint(new Random(2), 1).write(dir);
        Path f = dir.resolve(Checkpoint.WEIGHTS);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 7));
        assertEquals(f + ": truncated: " + (b.length - 7) + " bytes, manifest says " + b.length, corrupt(dir).getMessage());

        Files.write(f, java.util.Arrays.copyOf(b, b.length + 1));
        assertEquals(f + ": too long: " + (b.length + 1) + " bytes, manifest says " + b.length, corrupt(dir).getMessage());
    }

    @Test
    void aMissingFileOrManifestIsDetected(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoint");
        checkpoint(new Random(3), 1).write(dir);
        Path state = dir.resolve(Checkpoint.STATE);
        byte[] saved = Files.readAllBytes(state);
        Files.delete(state);
        assertTrue(corrupt(dir).getMessage().startsWith(state + ": missing (manifest lists " + saved.length + " bytes)"));
        Files.write(state, saved);
        Checkpoint.read(dir, Checkpoint.GENOME); // whole again

        Path manifest = dir.resolve(CheckpointManifest.NAME);
        String m = Files.readString(manifest);
        Files.writeString(manifest, m.substring(0, m.length() / 2));
        assertTrue(corrupt(dir).getMessage().startsWith(manifest + ": unreadable ("), corrupt(dir).getMessage());
        Files.writeString(manifest, m.replace("\"version\" : 1", "\"version\" : 7"));
        assertTrue(corrupt(dir).getMessage().startsWith(manifest + ": manifest version 7 is not 1"), corrupt(dir).getMessage());
        Files.writeString(manifest, m.replace("\"name\" : \"state.json\"", "\"name\" : \"../state.json\""));
        assertTrue(corrupt(dir).getMessage().startsWith(manifest + ": malformed entry"), corrupt(dir).getMessage());
        Files.delete(manifest);
        assertEquals(manifest + ": missing (the checkpoint cannot be verified)", corrupt(dir).getMessage());
    }
}
