package org.spidernet.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a new run may write. A run killed before its first checkpoint leaves a directory with
 * nothing to resume and nothing worth keeping: its lock file, the start of its event log and
 * log, perhaps a half-written checkpoint. Such a directory is taken like an empty one (its
 * leftovers are cleared once the new run holds the lock), so the same command simply runs again;
 * any other file in it, a checkpoint above all, keeps the directory from a new run.
 */
public final class OutputDirectory {
    /** The event log every run appends to. */
    public static final String EVENTS = "events.jsonl";
    /** The copy of the run's log messages. */
    public static final String LOG = "spidernet.log";
    /** What a run writes before its first checkpoint is sealed (Checkpoint stages under {@code checkpoint.staging}). */
    private static final Set<String> BEFORE_FIRST_CHECKPOINT =
            Set.of(RunDirectoryLock.FILE, EVENTS, LOG, "checkpoint.staging");

    private OutputDirectory() {
    }

    /** Whether a new run may write into {@code dir}: missing, empty, or left by a run killed before its first checkpoint. */
    public static boolean isAvailable(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> BEFORE_FIRST_CHECKPOINT.contains(p.getFileName().toString()));
        }
    }

    /**
     * Whether {@code dir} is what a run killed before its first checkpoint leaves: an event log
     * and no checkpoint. {@code --resume} names it as such instead of as a directory without a
     * checkpoint, so the user knows to start the run again.
     */
    public static boolean isStoppedBeforeFirstCheckpoint(Path dir) throws IOException {
        return Files.isDirectory(dir) && Files.exists(dir.resolve(EVENTS)) && isAvailable(dir);
    }

    /**
     * Locks {@code dir} for a new run and deletes what a run killed before its first checkpoint
     * left there, the lock file excepted. The directory is checked again under the lock, as
     * another run may have written into it since the caller's check.
     */
    public static RunDirectoryLock lockForNewRun(Path dir) throws IOException {
        RunDirectoryLock lock = RunDirectoryLock.acquire(dir);
        try {
            if (!isAvailable(dir)) {
                throw new IOException(dir + ": another run wrote into this directory since it was checked");
            }
            for (String name : BEFORE_FIRST_CHECKPOINT) {
                if (!name.equals(RunDirectoryLock.FILE)) {
                    AtomicFiles.deleteRecursively(dir.resolve(name));
                }
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }
}
