package org.spidernet.metrics;

import java.util.Objects;

/**
 * The outcome of scoring one network with one metric. A score that is not a finite number is a
 * typed failure ({@link Status#NON_FINITE}): the caller logs it and leaves the candidate out of the
 * ranking. It is never reported as 0 and never thrown.
 *
 * @param metric the metric's registry name
 * @param status whether {@code value} may be ranked
 * @param value  the score to rank by: finite unless the status is {@link Status#NON_FINITE}, then NaN
 * @param raw    the number the metric's definition produced, before any substitution rule
 *               (equal to {@code value} when the status is {@link Status#OK})
 * @param detail why a score is substituted or missing; empty for {@link Status#OK}
 */
public record MetricResult(String metric, Status status, double value, double raw, String detail) {

    public enum Status {
        /** A finite score, exactly as defined. */
        OK,
        /**
         * The definition produced a non-finite number and the metric's own rule replaced it with a
         * finite one (NTK: NaN becomes 1e5, as SpiderNet's authors do). Rankable; {@code raw}
         * keeps the original.
         */
        SUBSTITUTED,
        /** No finite score: leave the candidate out of the ranking. */
        NON_FINITE
    }

    public MetricResult {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (status == Status.NON_FINITE ? !Double.isNaN(value) : !Double.isFinite(value)) {
            throw new IllegalArgumentException(metric + ": status " + status + " with value " + value);
        }
    }

    /** A finite score; a non-finite {@code raw} becomes a {@link Status#NON_FINITE} failure with {@code why}. */
    public static MetricResult of(String metric, double raw, String why) {
        return Double.isFinite(raw) ? new MetricResult(metric, Status.OK, raw, raw, "")
                : nonFinite(metric, raw, why);
    }

    public static MetricResult substituted(String metric, double value, double raw, String why) {
        return new MetricResult(metric, Status.SUBSTITUTED, value, raw, why);
    }

    public static MetricResult nonFinite(String metric, double raw, String why) {
        return new MetricResult(metric, Status.NON_FINITE, Double.NaN, raw, why);
    }

    /** Whether {@link #value()} may be ranked. */
    public boolean usable() {
        return status != Status.NON_FINITE;
    }

    @Override
    public String toString() {
        return switch (status) {
            case OK -> metric + "=" + value;
            case SUBSTITUTED -> metric + "=" + value + " (raw " + raw + ": " + detail + ")";
            case NON_FINITE -> metric + " failed (raw " + raw + ": " + detail + ")";
        };
    }
}
