package org.spidernet.data;

import java.nio.file.Path;

/**
 * Dataset files are absent, as opposed to present but malformed. Kept as its own type so the
 * command line can answer it with how to get the data (install script, {@code --data}) instead of
 * suggesting the files are damaged.
 */
public class DatasetMissingException extends DatasetFormatException {

    private static final long serialVersionUID = 1L;

    /**
     * @param where the directory that was searched (or the file that was expected)
     * @param what  which files are missing and where else was looked, in words
     */
    public DatasetMissingException(Path where, String what) {
        super(where, what);
    }

    /** When there is no place to look at all, e.g. a dataset with no default directory and none given. */
    public DatasetMissingException(String message) {
        super(message);
    }
}
