package org.spidernet.api;

import java.util.List;

/** A strategy or strategy option that does not exist, with the names that do (for a "did you mean"). */
public final class UnknownOptionException extends IllegalArgumentException {
    private final String given;
    private final List<String> known;

    public UnknownOptionException(String message, String given, List<String> known) {
        super(message);
        this.given = given;
        this.known = List.copyOf(known);
    }

    public String given() {
        return given;
    }

    public List<String> known() {
        return known;
    }
}
