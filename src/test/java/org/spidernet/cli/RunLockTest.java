package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.io.RunDirectoryLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run directory's lock across processes: while a train runs in a child JVM, a second train
 * or search on its directory, fresh or {@code --resume}, is refused with one line naming the
 * directory and the child's pid, and writes nothing; once the child is killed with SIGKILL (its
 * OS lock dies with it, its lock file stays), {@code --resume} takes the directory over.
 */
class RunLockTest {

    @Test
    void aRunningTrainHoldsItsDirectoryUntilKilled(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 328, 16, 12, 12);
        Path run = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), SpiderNet.class.getName()));
        // epochs enough to outlast the refused attempts below by far; the kill ends it
        cmd.addAll(List.of(TrainResumeTest.train(data, run, 7, 50)));
        Path childLog = tmp.resolve("child.log");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        try {
            Path events = run.resolve("events.jsonl");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            // the first checkpoint is written after the lock is taken: from then on the child holds it
            while (child.isAlive() && System.nanoTime() < deadline
                    && !(Files.exists(events) && Files.readString(events).contains("\"event\":\"checkpoint\""))) {
                Thread.sleep(10);
            }
            assertTrue(child.isAlive(), "the child ended before it checkpointed: " + Files.readString(childLog));
            String holder = "(pid " + child.pid() + " on ";
            long eventsBefore = Files.readString(events).lines().filter(l -> l.contains("run_start") || l.contains("run_resumed")).count();

            CliRun fresh = CliRun.of(TrainResumeTest.train(data, run, 7, 1));
            assertTrue(fresh.isOneLineError(1), fresh.err());
            assertTrue(fresh.err().contains(run + " is in use by another spidernet run " + holder), fresh.err());
            CliRun resume = CliRun.of("train", "--resume", run.toString(), "--no-progress");
            assertTrue(resume.isOneLineError(1), resume.err());
            assertTrue(resume.err().contains(run + " is in use by another spidernet run " + holder), resume.err());
            CliRun search = CliRun.of("search", "--resume", run.toString(), "--no-progress");
            assertTrue(search.isOneLineError(1), search.err());
            assertTrue(search.err().contains(holder), search.err());
            assertEquals(eventsBefore, Files.readString(events).lines().filter(l -> l.contains("run_start") || l.contains("run_resumed")).count(),
                    "a refused run wrote into the event log");
            assertTrue(Files.readString(run.resolve(RunDirectoryLock.FILE)).startsWith("pid " + child.pid() + " "),
                    "a refused run changed the lock file");

            child.destroyForcibly(); // SIGKILL: no shutdown hook releases anything
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue());
            assertTrue(RunDirectoryLock.holder(run).isPresent(), "the killed run's lock file is left behind");

            // the continued run would train 49 more epochs: prove the takeover by holding the lock, not by finishing
            try (RunDirectoryLock taken = RunDirectoryLock.acquire(run)) {
                assertTrue(Files.readString(taken.file()).startsWith("pid " + ProcessHandle.current().pid() + " "));
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledTrainIsResumedToTheEndOverItsStaleLockFile(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 64, 16, 12, 12);
        Path run = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), SpiderNet.class.getName()));
        cmd.addAll(List.of(TrainResumeTest.train(data, run, 7, 2)));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            Path events = run.resolve("events.jsonl");
            // killed after its first checkpoint (written before epoch 0), while it holds the lock
            while (child.isAlive() && System.nanoTime() < deadline
                    && !(Files.exists(events) && Files.readString(events).contains("\"event\":\"checkpoint\""))) {
                Thread.sleep(5);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed while running: " + Files.readString(tmp.resolve("child.log")));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(RunDirectoryLock.holder(run).orElse("").startsWith("pid " + child.pid() + " "), "the dead run's line is left");
        CliRun resumed = CliRun.of("train", "--resume", run.toString(), "--no-progress");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("taking over the lock of a run that ended without releasing it (pid " + child.pid()), resumed.err());
        assertTrue(resumed.err().contains("no longer running"), resumed.err());
        assertTrue(Files.exists(run.resolve("summary.json")));
        assertFalse(RunDirectoryLock.holder(run).isPresent(), "released at the end");
    }
}
