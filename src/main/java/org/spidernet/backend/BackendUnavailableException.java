package org.spidernet.backend;

/** Thrown when a backend is asked for but cannot run here; the message says why. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
