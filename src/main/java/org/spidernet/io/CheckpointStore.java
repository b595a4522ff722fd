package org.spidernet.io;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a run keeps its checkpoints: the current one in {@code checkpoint/} and the one before it
 * in {@code checkpoint.previous/}, each a {@link Checkpoint} directory sealed by its
 * {@link CheckpointManifest}. Writing rotates them ({@link #swapIn}); resuming takes the current one
 * if it verifies and falls back to the previous one if not ({@link #resolve}). Search and train
 * runs both keep theirs here, so the two agree on what is good and what to say when it is not.
 */
public final class CheckpointStore {
    /** The event a resumed run logs when it resumes from the previous checkpoint. */
    public static final String FALLBACK_EVENT = "checkpoint_fallback";

    private CheckpointStore() {
    }

    /** The previous checkpoint of {@code current}: its sibling {@code <name>.previous}. */
    public static Path previousOf(Path current) {
        return current.resolveSibling(current.getFileName() + ".previous");
    }

    /** Whether {@code current} or its previous checkpoint exists at all (valid or not). */
    public static boolean exists(Path current) {
        return Files.exists(current) || Files.exists(previousOf(current));
    }

    /**
     * Makes {@code staged} (a complete, sealed checkpoint directory) the current checkpoint and the
     * current one the previous. Each step is one rename, and a crash after any of them leaves at
     * least one good checkpoint under a name {@link #resolve} looks at:
     * <ol>
     *   <li>{@code previous} is renamed to {@code retired}: {@code current} is still good;</li>
     *   <li>{@code current} is renamed to {@code previous}: {@code current} is missing, {@code previous}
     *       is good, and resume falls back to it;</li>
     *   <li>{@code staged} is renamed to {@code current}: both are good;</li>
     *   <li>{@code retired} is deleted (a crash mid-delete leaves a directory nothing reads, deleted
     *       by the next write).</li>
     * </ol>
     * Deleting {@code previous} before step 2 instead of renaming it would also keep one good
     * checkpoint, but a crash mid-delete would leave a half-deleted {@code previous}. When
     * {@code current} is missing (the first write, or a crash between steps 2 and 3 last time),
     * {@code previous} is the only good checkpoint and steps 1 and 2 are skipped, so it stays.
     */
    static void swapIn(Path staged, Path current) throws IOException {
        Path previous = previousOf(current);
        Path retired = current.resolveSibling(current.getFileName() + ".retired");
        AtomicFiles.deleteRecursively(retired);
        if (Files.exists(current)) {
            if (Files.exists(previous)) {
                AtomicFiles.move(previous, retired);
            }
            AtomicFiles.move(current, previous);
        }
        AtomicFiles.move(staged, current);
        syncDirectory(current.toAbsolutePath().getParent());
        AtomicFiles.deleteRecursively(retired);
    }

    /** Makes the renames durable where the platform allows a directory to be synced (Linux does). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform syncs directories; the renames are still atomic, only their durability is the OS's
        }
    }

    /**
     * The checkpoint to resume from: {@code current} if it verifies, else the previous one if that
     * verifies (with why {@code current} was passed over), else a {@link CorruptCheckpointException}
     * naming both faults. When neither exists, {@code current} is returned unverified, so the caller
     * reports the missing checkpoint in its own words.
     */
    public static Resolved resolve(Path current) throws IOException {
        Path previous = previousOf(current);
        String why;
        if (Files.exists(current)) {
            try {
                CheckpointManifest.verify(current);
                return new Resolved(current, current, null);
            } catch (CorruptCheckpointException e) {
                if (!Files.exists(previous)) {
                    throw e;
                }
                why = "corrupt (" + e.shortMessage() + ")";
            }
        } else if (Files.exists(previous)) {
            why = "missing";
        } else {
            return new Resolved(current, current, null);
        }
        try {
            CheckpointManifest.verify(previous);
        } catch (CorruptCheckpointException e) {
            throw new CorruptCheckpointException(current, why + ", and " + previous.getFileName() + "/ is corrupt too ("
                    + e.shortMessage() + "): no good checkpoint to resume from");
        }
        return new Resolved(current, previous, why);
    }

    /**
     * The checkpoint {@link #resolve} chose: {@code dir} is {@code current} or its previous one, and
     * {@code reason} says why {@code current} was passed over ({@code missing}, {@code corrupt (...)};
     * null when it was not).
     */
    public record Resolved(Path current, Path dir, String reason) {
        public boolean fellBack() {
            return reason != null;
        }

        /**
         * The one line that says so, e.g. {@code checkpoint/ is corrupt (checkpoint/weights.bin:
         * SHA-256 mismatch (file changed or corrupt)); resuming from checkpoint.previous/ (epoch 3)}.
         */
        public String fallbackLine(String position) {
            return current.getFileName() + "/ is " + reason + "; resuming from " + dir.getFileName() + "/ (" + position + ")";
        }

        /** Logs a {@link #FALLBACK_EVENT} when the run resumes from the previous checkpoint; nothing otherwise. */
        public void logFallback(EventLog log, String position) {
            if (!fellBack()) {
                return;
            }
            ObjectNode ev = log.event(FALLBACK_EVENT);
            ev.put("skipped", current.toString());
            ev.put("reason", current.getFileName() + "/ is " + reason);
            ev.put("resumed_from", dir.toString());
            ev.put("position", position);
            log.write(ev);
        }
    }
}
