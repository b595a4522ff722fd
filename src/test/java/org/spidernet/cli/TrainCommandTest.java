package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.DatasetSplit;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.InputSpec;
import org.spidernet.io.Checkpoint;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.IdxDataset;
import org.spidernet.train.Evaluation;
import org.spidernet.train.Trainer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train command end to end on IDX fixtures, and its refusals of bad input. */
class TrainCommandTest {

    private record Result(int exit, String err) {
    }

    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            int code = SpiderNet.execute(args);
            return new Result(code, buf.toString());
        } finally {
            System.setErr(saved);
        }
    }

    private static String[] tinyRun(Path data, Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--epochs", "2", "--no-progress", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void writesEveryOutputAndTheCheckpointReproducesTheTestAccuracy(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path out = tmp.resolve("run");
        Result r = run(tinyRun(data, out));
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("events.jsonl", "metrics.csv", "summary.json", "checkpoint/genome.json",
                "checkpoint/weights.bin", "checkpoint/state.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String k : List.of("test_accuracy", "params", "epochs", "wall_seconds", "backend")) {
            assertTrue(summary.has(k), "summary lacks " + k);
        }
        assertEquals(2, summary.get("epochs").asInt());
        assertEquals("reference", summary.get("backend").asText());
        assertEquals(summary.get("planned_peak_bytes").asLong(), summary.get("measured_peak_bytes").asLong());
        List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        assertTrue(events.get(0).contains("\"run_start\""));
        assertTrue(events.get(events.size() - 1).contains("\"run_end\""));
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size()); // header + 2 epochs

        // the checkpoint holds the trained net: evaluating it gives the summary's test accuracy
        Checkpoint ck = Checkpoint.read(out.resolve("checkpoint"), Checkpoint.GENOME);
        assertEquals(2, ck.state().get("epochs_completed").asInt());
        DatasetSplit split = DatasetRegistry.load("mnist", data);
        try (ReferenceBackend b = new ReferenceBackend();
             Network net = Network.bind(ExecutionPlan.compile(org.spidernet.graph.GenomeJson.read(ck.architecture()), 8, 8), b)) {
            net.importState(ck.weights());
            var hold = org.spidernet.data.HoldoutSplit.lastN(split.train(), 8);
            Evaluation e = Trainer.evaluate(net, split.test(), hold.train().channelStats());
            assertEquals(summary.get("test_accuracy").asDouble(), e.accuracy(), 1e-12);
        }
    }

    @Test
    void aNetworkTooBigForTheEmulatedDeviceIsAOneLineErrorAndBadSizesAreRefused(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path out = tmp.resolve("run");
        Result r = run(tinyRun(data, out, "--device-memory", "100K"));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("spidernet: error: out of device memory allocating the network (planned peak ")
                && r.err().contains("102400 B capacity") && r.err().strip().lines().count() == 1, r.err());
        List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        assertEquals(1, events.size());
        assertTrue(events.get(0).contains("\"run_failed\"") && events.get(0).contains("planned peak"), events.get(0));

        Result fits = run(tinyRun(data, tmp.resolve("fits"), "--device-memory", "1G"));
        assertEquals(0, fits.exit(), fits.err());

        for (String bad : List.of("many", "0")) {
            Path refused = tmp.resolve("refused-" + bad);
            Result b = run(tinyRun(data, refused, "--device-memory", bad));
            assertEquals(2, b.exit(), b.err());
            assertTrue(b.err().contains("--device-memory"), b.err());
            assertFalse(Files.exists(refused));
        }
    }

    @Test
    void truncatedIdxFileIsAOneLineErrorAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path test = data.resolve(IdxDataset.TEST_IMAGES);
        byte[] bytes = Files.readAllBytes(test);
        Files.write(test, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        Path out = tmp.resolve("run");
        Result r = run(tinyRun(data, out));
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains(test.getFileName().toString()), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "no output may be left behind");
    }

    @Test
    void genomeWithUnknownOpIsRefused(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        String json = GenomeJson.write(Genome.initial(new InputSpec(1, 6, 6, 10), 2, 1)).replaceFirst("\"avg_pool_3x3\"", "\"avg_pool_9x9\"");
        Path genome = Files.writeString(tmp.resolve("g.json"), json);
        Path out = tmp.resolve("run");
        Result r = run(tinyRun(data, out, "--genome", genome.toString()));
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("unknown op 'avg_pool_9x9'") && r.err().contains("g.json"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badFlagsAreRefusedWithExitCodeTwo(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path out = tmp.resolve("run");
        for (String[] bad : List.of(new String[]{"--epochs", "-1"}, new String[]{"--batch", "1"},
                new String[]{"--channels", "0"}, new String[]{"--backend", "tpu"}, new String[]{"--epochs", "two"})) {
            Result r = run(tinyRun(data, out, bad));
            assertTrue(r.exit() != 0, String.join(" ", bad));
            assertTrue(r.err().contains(bad[0].substring(2)) || r.err().contains(bad[1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(out));
        }
        assertEquals(2, run(tinyRun(data, out, "--epochs", "-1")).exit());
    }

    @Test
    void refusesToOverwriteAnEarlierRun(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path out = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(out.resolve("summary.json"), "{}");
        Result r = run(tinyRun(data, out));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("already exists"), r.err());
    }
}
