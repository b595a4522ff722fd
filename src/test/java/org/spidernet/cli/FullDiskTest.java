package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A train or a search whose disk fills up mid-run, on a small tmpfs (skipped where this machine cannot mount
 * one: not Linux, not root, no permission): it stops with one line naming the file it could not
 * write and "No space left on device", exit 1, leaves no temporary file behind, and its last
 * checkpoint is intact: copied to a disk with room, {@code --resume} ends it with the result of an
 * uninterrupted run.
 */
class FullDiskTest {

    private static String mount(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 ? null : "mount exit " + p.exitValue() + ": " + out;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tmp") || f.getFileName().toString().endsWith(".staging")
                    || f.getFileName().toString().endsWith(".old")).toList();
        }
    }

    @Test
    void aFullDiskStopsATrainWithOneLineAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 64, 16, 12, 12);
        drill(tmp, "train", out -> TrainResumeTest.train(data, out, 11, 3), TrainResumeTest::result);
    }

    @Test
    void aFullDiskStopsASearchWithOneLineAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 64, 16, 12, 12);
        drill(tmp, "search", out -> StoppedBeforeFirstCheckpointTest.search(data, out, "--seed", "11"),
                TrainResumeTest::result);
    }

    private interface Result {
        Object of(Path run) throws IOException;
    }

    /**
     * Runs {@code command} once on a roomy disk, then on a tmpfs filled up to leave room for one
     * checkpoint and a half, where it must fail on a write; the failed run's directory, copied to
     * a disk with room, is resumed to the uninterrupted run's result and weights.
     */
    private static void drill(Path tmp, String name, java.util.function.Function<Path, String[]> command, Result result)
            throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "tmpfs mounts need Linux");
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        String why;
        try {
            why = mount(disk);
        } catch (IOException e) {
            why = "cannot run mount: " + e.getMessage();
        }
        final String reason = why;
        assumeTrue(reason == null, () -> "cannot mount a 6 MiB tmpfs here (root and mount permission needed): " + reason);
        try {
            Path full = tmp.resolve("full");
            assertEquals(0, SpiderNet.execute(command.apply(full)), "uninterrupted " + name);
            // room for one checkpoint and a half: the first fits, staging the next beside it does not
            long checkpoint = size(full.resolve("checkpoint"));
            long room = checkpoint * 3 / 2 + 16 * 1024;
            long filler = disk.toFile().getUsableSpace() - room;
            assumeTrue(filler > 0, "the checkpoint (" + checkpoint + " B) is larger than the 6 MiB tmpfs");
            Files.write(disk.resolve("filler"), new byte[(int) filler]);

            Path run = disk.resolve("run");
            List<String> args = new java.util.ArrayList<>(List.of(command.apply(run)));
            args.add("--quiet"); // stderr then holds the error alone
            CliRun failed = CliRun.of(args.toArray(String[]::new));
            assertTrue(failed.isOneLineError(1), name + " exit " + failed.exit() + ": " + failed.err());
            assertTrue(failed.err().contains("No space left on device"), failed.err());
            assertTrue(failed.err().contains(run.toString()), "names the file: " + failed.err());
            assertEquals(List.of(), leftovers(run), "half-written files left behind");
            assertFalse(Files.exists(run.resolve("summary.json")));
            assertTrue(Files.exists(run.resolve("checkpoint")), "no checkpoint was kept: " + failed.err());

            Path moved = tmp.resolve("moved");
            try (Stream<Path> s = Files.walk(run)) {
                for (Path f : s.toList()) {
                    Files.copy(f, moved.resolve(run.relativize(f).toString()));
                }
            }
            AtomicFiles.deleteRecursively(run);
            CliRun resumed = CliRun.of(name, "--resume", moved.toString(), "--no-progress");
            assertEquals(0, resumed.exit(), resumed.err());
            assertEquals(result.of(full), result.of(moved));
            TrainResumeTest.assertSameWeights(full, moved, "resumed after a full disk");
        } finally {
            new ProcessBuilder("umount", disk.toString()).start().waitFor();
        }
    }
}
