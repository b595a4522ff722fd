package org.spidernet.experiment;

/** A plan file that cannot be run; the message is one line naming the file, the field and the fault. */
public final class InvalidPlanException extends IllegalArgumentException {
    public InvalidPlanException(String message) {
        super(message);
    }
}
