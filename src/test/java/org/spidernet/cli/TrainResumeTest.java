package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.CheckpointManifest;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --resume} in-process: a run that failed right after the checkpoint of epoch k
 * (the command's crash hook) and was resumed ends with the summary, metrics rows and weights of
 * the uninterrupted run; and the refusals: flags beside --resume, a finished run, a directory that
 * is no train run, a damaged checkpoint. The kill -9 variant is {@code TrainKillResumeTest}.
 */
class TrainResumeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Summary fields that measure the machine, not the result. */
    private static final List<String> TIMINGS = List.of("wall_seconds", "train_images_per_second");

    record Result(int exit, String err) {
    }

    static Result run(int crashAfterEpochs, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            CommandLine cl = SpiderNet.commandLine();
            ((TrainCommand) cl.getSubcommands().get("train").getCommand()).crashAfterEpochs = crashAfterEpochs;
            return new Result(cl.execute(args), buf.toString());
        } finally {
            System.setErr(saved);
        }
    }

    static Result run(String... args) {
        return run(0, args);
    }

    static String[] train(Path data, Path out, long seed, int epochs) {
        return new String[]{"train", "--dataset", "mnist", "--data", data.toString(), "--backend", "reference",
                "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8", "--epochs", Integer.toString(epochs),
                "--drop-path", "0.2", "--crop", "1", "--cutout", "2", "--seed", Long.toString(seed), "--no-progress",
                "--out", out.toString()};
    }

    /** The summary without the fields that time the run. */
    static JsonNode result(Path run) throws IOException {
        ObjectNode s = (ObjectNode) MAPPER.readTree(run.resolve("summary.json").toFile());
        TIMINGS.forEach(s::remove);
        return s;
    }

    /** metrics.csv without its two timing columns (seconds, images/s). */
    static List<String> metricsWithoutTimings(Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = line.split(",");
            rows.add(String.join(",", Arrays.copyOf(f, f.length - 2)));
        }
        return rows;
    }

    static void assertSameWeights(Path a, Path b, String where) throws IOException {
        Map<String, double[]> wa = Checkpoint.read(a.resolve("checkpoint"), Checkpoint.GENOME).weights();
        Map<String, double[]> wb = Checkpoint.read(b.resolve("checkpoint"), Checkpoint.GENOME).weights();
        assertEquals(wa.keySet(), wb.keySet(), where);
        assertTrue(wa.keySet().stream().anyMatch(k -> k.startsWith("momentum/")), "the checkpoint must hold the momentum");
        for (String k : wa.keySet()) {
            assertArrayEquals(wa.get(k), wb.get(k), 0.0, where + ": " + k);
        }
    }

    @Test
    void aRunResumedAfterAnyEpochEndsLikeTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime() % 1_000_000;
        int epochs = 5; // past the 4-epoch deletion window, so its state crosses a resume
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path full = tmp.resolve("full");
        Result f = run(train(data, full, seed, epochs));
        assertEquals(0, f.exit(), f.err());

        for (int k : new int[]{1, 4, epochs}) { // epochs: killed before its summary, nothing left to train
            String where = "seed " + seed + ", crash after epoch " + k;
            Path crashed = tmp.resolve("crashed-" + k);
            Result c = run(k, train(data, crashed, seed, epochs));
            assertEquals(1, c.exit(), c.err());
            assertFalse(Files.exists(crashed.resolve("summary.json")), where);
            assertEquals(k + 1, Files.readAllLines(crashed.resolve("metrics.csv")).size(), where);
            // as if the kill came after the next epoch's metrics row but before its checkpoint
            Files.writeString(crashed.resolve("metrics.csv"), k + ",0.1,9,0,9,0,1,0,1.000,1.0\n",
                    java.nio.file.StandardOpenOption.APPEND);

            Result r = run("train", "--resume", crashed.toString(), "--no-progress");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("resuming after epoch " + k + " of " + epochs), r.err());
            assertEquals(result(full), result(crashed), where);
            assertEquals(metricsWithoutTimings(full), metricsWithoutTimings(crashed), where);
            assertSameWeights(full, crashed, where);
            List<String> events = Files.readAllLines(crashed.resolve("events.jsonl"));
            for (String e : events) {
                MAPPER.readTree(e); // every line is a whole JSON object
            }
            assertTrue(events.stream().anyMatch(e -> e.contains("\"event\":\"run_resumed\"")
                    && e.contains("\"resumed_epochs_completed\":" + k)), where);
            assertTrue(events.get(events.size() - 1).contains("\"event\":\"run_end\""), where);
            assertEquals(epochs, events.stream().filter(e -> e.contains("\"event\":\"epoch\"")).count(), where);
        }
    }

    @Test
    void flagsThatWouldChangeTheRunAndFinishedOrForeignDirectoriesAreRefused(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path done = tmp.resolve("done");
        assertEquals(0, run(train(data, done, 3, 1)).exit());
        byte[] events = Files.readAllBytes(done.resolve("events.jsonl"));

        Result flagged = run("train", "--resume", done.toString(), "--epochs", "4", "--no-progress", "--seed", "2");
        assertEquals(2, flagged.exit(), flagged.err());
        assertTrue(flagged.err().startsWith("spidernet: error: --resume continues with the settings saved in ")
                && flagged.err().contains("--epochs, --seed cannot be given with it (only --no-progress, --quiet and --verbose can)"), flagged.err());

        Result finished = run("train", "--resume", done.toString());
        assertEquals(2, finished.exit(), finished.err());
        assertTrue(finished.err().contains("this train run has already finished"), finished.err());

        Result missing = run("train", "--resume", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("nowhere: no such directory"), missing.err());

        Result notARun = run("train", "--resume", data.toString());
        assertEquals(2, notARun.exit(), notARun.err());
        assertTrue(notARun.err().contains("not a train run (no checkpoint/state.json)"), notARun.err());

        Path search = tmp.resolve("search/checkpoint");
        new Checkpoint(Checkpoint.GENOME, "{}", Map.of(), MAPPER.createObjectNode().put("kind", "search")).write(search);
        Result foreign = run("train", "--resume", search.getParent().toString());
        assertEquals(2, foreign.exit(), foreign.err());
        assertTrue(foreign.err().contains("a search run, not a train run"), foreign.err());

        for (Result r : List.of(flagged, finished, missing, notARun, foreign)) {
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertArrayEquals(events, Files.readAllBytes(done.resolve("events.jsonl")), "a refused resume writes nothing");
    }

    /**
     * A checkpoint whose files match its manifest but do not parse (written so, not damaged since:
     * the manifest is sealed again after each damage, so this checks the parsers behind the
     * checksums; {@code TrainCheckpointFallbackTest} checks damage the manifest catches).
     */
    @Test
    void aDamagedCheckpointIsAOneLineErrorNamingTheFile(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path crashed = tmp.resolve("crashed");
        assertEquals(1, run(1, train(data, crashed, 5, 2)).exit());
        Path ck = crashed.resolve("checkpoint");
        Path saved = tmp.resolve("saved");
        Files.createDirectories(saved);
        for (String f : List.of(Checkpoint.STATE, Checkpoint.WEIGHTS, Checkpoint.GENOME)) {
            Files.copy(ck.resolve(f), saved.resolve(f));
        }
        byte[] events = Files.readAllBytes(crashed.resolve("events.jsonl"));
        String state = Files.readString(saved.resolve(Checkpoint.STATE));
        byte[] weights = Files.readAllBytes(saved.resolve(Checkpoint.WEIGHTS));
        String genome = Files.readString(saved.resolve(Checkpoint.GENOME));
        record Damage(String file, String content, String expected) {
        }
        List<Damage> damages = List.of(
                new Damage(Checkpoint.STATE, state.substring(0, state.length() / 2), "state.json: not valid JSON"),
                new Damage(Checkpoint.STATE, state.replace("\"kind\" : \"train\",", ""), "state.json: not a train checkpoint"),
                new Damage(Checkpoint.STATE, state.replace("\"trainer\"", "\"trainr\""), "state.json: malformed train state (no 'trainer' object)"),
                new Damage(Checkpoint.STATE, state.replace("\"epochs_completed\" : 1", "\"epochs_completed\" : 2"),
                        "state.json: inconsistent train state"),
                new Damage(Checkpoint.GENOME, null, "genome.json: missing from the checkpoint"),
                new Damage(Checkpoint.GENOME, genome.replaceFirst("\"avg_pool_3x3\"", "\"avg_pool_9x9\""), "unknown op 'avg_pool_9x9'"),
                new Damage(Checkpoint.WEIGHTS, "", "weights.bin: truncated weights file"));
        for (Damage d : damages) {
            Path file = ck.resolve(d.file());
            if (d.content() == null) {
                Files.delete(file);
            } else {
                Files.writeString(file, d.content());
            }
            CheckpointManifest.write(ck);
            Result r = run("train", "--resume", crashed.toString());
            assertEquals(1, r.exit(), d.expected() + ": " + r.err());
            assertTrue(r.err().startsWith("spidernet: error: ") && r.err().contains(d.expected())
                    && r.err().contains(d.file()), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertArrayEquals(events, Files.readAllBytes(crashed.resolve("events.jsonl")), d.expected() + ": nothing may be written");
            Files.writeString(ck.resolve(Checkpoint.STATE), state);
            Files.write(ck.resolve(Checkpoint.WEIGHTS), weights);
            Files.writeString(ck.resolve(Checkpoint.GENOME), genome);
        }
        CheckpointManifest.write(ck);
        // weights of another shape: read fine, refused when loaded into the genome's network
        Map<String, double[]> w = Checkpoint.read(ck, Checkpoint.GENOME).weights();
        String victim = w.keySet().stream().filter(k -> k.startsWith("momentum/")).findFirst().orElseThrow();
        w.put(victim, new double[1]);
        org.spidernet.io.WeightsFile.write(ck.resolve(Checkpoint.WEIGHTS), w);
        CheckpointManifest.write(ck);
        Result r = run("train", "--resume", crashed.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("weights.bin: does not fit the checkpoint's genome") && r.err().contains(victim), r.err());
        assertArrayEquals(events, Files.readAllBytes(crashed.resolve("events.jsonl")), "nothing may be written");
        Files.write(ck.resolve(Checkpoint.WEIGHTS), weights);
        CheckpointManifest.write(ck);

        // undamaged again, it resumes
        Result ok = run("train", "--resume", crashed.toString(), "--no-progress");
        assertEquals(0, ok.exit(), ok.err());
    }
}
