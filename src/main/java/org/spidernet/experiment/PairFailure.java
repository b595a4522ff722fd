package org.spidernet.experiment;

/** Why a pair's search failed: the error's type and its message (one line), as {@code failure.json} keeps them. */
public record PairFailure(String type, String message) {
    public PairFailure {
        message = message == null || message.isBlank() ? "failed without a message" : message.replaceAll("\\R", " ");
    }
}
