package org.spidernet.search.correlate;

import org.spidernet.metrics.MetricResult;

/**
 * One metric's outcome on one architecture: a value to rank by, or why there is none. A failure
 * is a status, never a 0; correlations use only the architectures whose score is usable.
 *
 * @param value  the score (NaN unless usable)
 * @param status {@code ok}, {@code substituted} (the metric's own rule replaced a non-finite
 *               number; rankable), {@code non_finite} or {@code failed} (the scoring threw, e.g. out
 *               of memory)
 * @param detail why, for every status but {@code ok}
 */
public record MetricScore(double value, String status, String detail) {
    public static final String OK = "ok";
    public static final String SUBSTITUTED = "substituted";
    public static final String NON_FINITE = "non_finite";
    public static final String FAILED = "failed";

    public static MetricScore of(MetricResult r) {
        return switch (r.status()) {
            case OK -> new MetricScore(r.value(), OK, "");
            case SUBSTITUTED -> new MetricScore(r.value(), SUBSTITUTED, r.detail());
            case NON_FINITE -> new MetricScore(Double.NaN, NON_FINITE, r.detail() + " (raw " + r.raw() + ")");
        };
    }

    public static MetricScore failed(String why) {
        return new MetricScore(Double.NaN, FAILED, why);
    }

    public boolean usable() {
        return status.equals(OK) || status.equals(SUBSTITUTED);
    }
}
