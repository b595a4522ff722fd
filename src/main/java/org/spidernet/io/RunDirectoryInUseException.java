package org.spidernet.io;

import java.io.IOException;

/** Another run holds the run directory's lock; the message names the directory and the holder. */
public final class RunDirectoryInUseException extends IOException {
    public RunDirectoryInUseException(String message) {
        super(message);
    }
}
