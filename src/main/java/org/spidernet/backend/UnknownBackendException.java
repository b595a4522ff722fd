package org.spidernet.backend;

/** A backend name that no provider has: a usage error (a typo), unlike a known backend that cannot run here. */
public final class UnknownBackendException extends BackendUnavailableException {
    public UnknownBackendException(String message) {
        super(message);
    }
}
