package org.spidernet.backend;

/** Whether a backend can run on this machine, and if not, the reason in one line. */
public record Availability(boolean usable, String detail) {
    public static Availability usable(String detail) {
        return new Availability(true, detail);
    }

    public static Availability unusable(String reason) {
        return new Availability(false, reason);
    }
}
