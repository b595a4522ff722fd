package org.spidernet.search;

/** A candidate's train-free evaluation did not give a usable number; the message says why. */
public class ScoringFailure extends Exception {
    public ScoringFailure(String message) {
        super(message);
    }

    public ScoringFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
