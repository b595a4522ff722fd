package org.spidernet.graph;

/** A genome that breaks a rule of the search space; the message names the offending element. */
public class InvalidGenomeException extends IllegalArgumentException {
    public InvalidGenomeException(String message) {
        super(message);
    }
}
