package org.spidernet.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset on disk cannot be used: a file is missing, has the wrong magic number, is shorter or
 * longer than its header says, holds a label outside the class range, or is corrupt gzip.
 *
 * <p>The message always names the file (or directory) and the fault, because the person reading
 * it has to decide which download to repeat; "invalid dataset" alone would not tell them.
 */
public class DatasetFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Path file;

    public DatasetFormatException(Path file, String fault) {
        super(file + ": " + fault);
        this.file = file;
    }

    public DatasetFormatException(Path file, String fault, Throwable cause) {
        super(file + ": " + fault, cause);
        this.file = file;
    }

    /** For a fault that has no single file to blame (no directory was given at all). */
    protected DatasetFormatException(String message) {
        super(message);
        this.file = null;
    }

    /** The file or directory at fault; null when there is none (see {@link DatasetMissingException}). */
    public Path file() {
        return file;
    }
}
