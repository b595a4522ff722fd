package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logging through SLF4J: progress messages on stderr at the level --quiet/--verbose chose, every
 * message with time and level in the run directory's spidernet.log, results on stdout.
 */
class LoggingTest {

    private static String[] train(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--epochs", "1", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void progressGoesToStderrAndTheRunLogResultsToStdout(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        CliRun normal = CliRun.of(train(data, tmp.resolve("normal"), "--no-progress"));
        assertEquals(0, normal.exit(), normal.err());
        assertTrue(normal.err().contains("spidernet train: reference"), normal.err());
        assertTrue(normal.err().contains("epoch 1: train loss"), normal.err());
        assertTrue(normal.out().startsWith("test accuracy "), normal.out());
        assertFalse(normal.out().contains("epoch 1"), "progress is not a result: " + normal.out());
        List<String> log = Files.readAllLines(tmp.resolve("normal").resolve(LogSetup.FILE));
        assertTrue(log.stream().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ INFO  TrainCommand - spidernet train: .*")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains(" INFO  ProgressDisplay - epoch 1: train loss")), log.toString());

        CliRun quiet = CliRun.of(train(data, tmp.resolve("quiet"), "--quiet"));
        assertEquals(0, quiet.exit(), quiet.err());
        assertEquals("", quiet.err(), "--quiet prints neither messages nor a progress bar");
        assertTrue(quiet.out().startsWith("test accuracy "), quiet.out());
        assertTrue(Files.readString(tmp.resolve("quiet").resolve(LogSetup.FILE)).contains("epoch 1: train loss"),
                "the run's log keeps everything whatever the console shows");
    }

    @Test
    void quietAndVerboseTogetherAreAFlagError(@TempDir Path tmp) {
        CliRun r = CliRun.of("train", "--quiet", "--verbose", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exit());
        assertEquals("spidernet: error: --quiet and --verbose cannot be given together", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
