package org.spidernet.exec;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The step and tolerance of the whole-network gradient checks on the float64 reference backend:
 * central differences with step {@link #EPS} agree with the backward pass to {@link #RTOL}
 * relative (of the finite difference) plus {@link #ATOL}. A network with ReLUs and max pools has
 * kinks; a difference whose step straddles one is wrong, so {@link #assertMatches} retries with
 * steps 10 and 100 times smaller, before it fails.
 */
public final class CentralDifference {
    public static final double EPS = 1e-5;
    public static final double RTOL = 1e-5;
    public static final double ATOL = 1e-8;

    private CentralDifference() {
    }

    /**
     * Fails unless {@code analytic} is within the tolerance of {@code centralDifference(h)} for
     * h = EPS, EPS / 10 or EPS / 100 (the first that is).
     */
    public static void assertMatches(DoubleUnaryOperator centralDifference, double analytic, String what) {
        StringBuilder seen = new StringBuilder();
        for (double h : new double[]{EPS, EPS / 10, EPS / 100}) {
            double numeric = centralDifference.applyAsDouble(h);
            if (close(numeric, analytic)) {
                return;
            }
            seen.append(String.format(" h=%.0e: %s;", h, numeric));
        }
        fail(what + ": analytic " + analytic + ", finite differences" + seen);
    }

    private static boolean close(double numeric, double analytic) {
        return Math.abs(numeric - analytic) <= ATOL + RTOL * Math.abs(numeric);
    }

    /** Fails unless {@code analytic} is within the tolerance of the finite difference {@code numeric}. */
    public static void assertClose(double numeric, double analytic, String what) {
        assertTrue(close(numeric, analytic),
                what + ": finite difference " + numeric + ", analytic " + analytic);
    }
}
