package org.spidernet.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint directory that fails verification against its {@link CheckpointManifest}: the
 * manifest is missing or unreadable, or a file it lists is missing, of another length or of
 * another SHA-256. The message is one line, {@code <file>: <fault>}, so the command line can show
 * it as it is.
 */
public final class CorruptCheckpointException extends IOException {
    private final transient Path file;
    private final String fault;

    public CorruptCheckpointException(Path file, String fault) {
        super(file + ": " + fault);
        this.file = file;
        this.fault = fault;
    }

    /** The file at fault (the manifest itself when it is missing or unreadable). */
    public Path file() {
        return file;
    }

    /** What is wrong with it, e.g. {@code SHA-256 mismatch (file changed or corrupt)}. */
    public String fault() {
        return fault;
    }

    /** The fault named relative to the run directory, e.g. {@code checkpoint/weights.bin: SHA-256 mismatch (...)}. */
    public String shortMessage() {
        Path dir = file.getParent();
        String where = dir != null && dir.getFileName() != null ? dir.getFileName() + "/" + file.getFileName() : file.toString();
        return where + ": " + fault;
    }
}
