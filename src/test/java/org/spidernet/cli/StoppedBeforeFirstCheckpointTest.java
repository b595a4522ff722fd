package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.io.OutputDirectory;
import org.spidernet.io.RunDirectoryLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed before its first checkpoint leaves its lock file (with the dead holder's line),
 * the start of its event log and log, and perhaps a half-written {@code checkpoint.staging/}:
 * {@code --resume} says there is nothing to resume and how to start again, and the same command
 * with {@code --out} runs in that directory with none of the leftovers in its outputs. A
 * directory with any other file is still refused.
 */
class StoppedBeforeFirstCheckpointTest {
    private static final String OLD_EVENT = "{\"event\":\"run_start\",\"marker\":\"killed-run\"}";

    private static Path leftovers(Path run) throws Exception {
        Files.createDirectories(run.resolve("checkpoint.staging"));
        Files.writeString(run.resolve(RunDirectoryLock.FILE), "pid 999999 on nowhere since 2026-01-01T00:00:00Z\n");
        Files.writeString(run.resolve(OutputDirectory.EVENTS), OLD_EVENT + "\n");
        Files.writeString(run.resolve(OutputDirectory.LOG), "killed-run log line\n");
        Files.write(run.resolve("checkpoint.staging").resolve("weights.bin"), new byte[]{1, 2, 3});
        return run;
    }

    static String[] search(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("search", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--iterations", "1", "--epochs-per-iteration", "1", "--final-epochs", "1", "--inits", "1",
                "--candidates", "2", "--metrics", "synflow", "--no-progress", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static void check(String command, String[] fresh, Path run) throws Exception {
        CliRun resume = CliRun.of(command, "--resume", run.toString(), "--no-progress");
        assertTrue(resume.isOneLineError(2), resume.err());
        assertTrue(resume.err().contains("--resume " + run + ": the run stopped before its first checkpoint, so there is "
                + "nothing to resume; start it again with the same command and --out " + run), resume.err());

        Path other = Files.writeString(run.resolve("notes.txt"), "mine");
        CliRun refused = CliRun.of(fresh);
        assertTrue(refused.isOneLineError(2), refused.err());
        assertTrue(refused.err().contains("already exists and is not an empty directory"), refused.err());
        Files.delete(other);

        CliRun again = CliRun.of(fresh);
        assertEquals(0, again.exit(), again.err());
        String events = Files.readString(run.resolve(OutputDirectory.EVENTS));
        assertFalse(events.contains("killed-run"), "the killed run's events are in the new run's log");
        assertEquals(1, events.lines().filter(l -> l.contains("\"event\":\"run_start\"")).count(), events);
        assertFalse(Files.readString(run.resolve(OutputDirectory.LOG)).contains("killed-run"));
        assertFalse(Files.exists(run.resolve("checkpoint.staging")), "a half-written checkpoint was left");
        assertTrue(Files.exists(run.resolve("model.json")), "the run did not finish");
        assertTrue(Files.readString(run.resolve(RunDirectoryLock.FILE)).isEmpty(), "the lock was not released");
    }

    @Test
    void aTrainKilledBeforeItsFirstCheckpointStartsAgainInItsDirectory(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path run = leftovers(tmp.resolve("run"));
        check("train", TrainResumeTest.train(data, run, 3, 1), run);
    }

    @Test
    void aSearchKilledBeforeItsFirstCheckpointStartsAgainInItsDirectory(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path run = leftovers(tmp.resolve("run"));
        check("search", search(data, run), run);
    }
}
