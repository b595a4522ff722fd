package org.spidernet.search.bohb;

/** One rung of a successive-halving bracket: how many configurations run, each on this budget. */
public record Rung(int configurations, double budget) {

    public Rung {
        if (configurations < 1) {
            throw new IllegalArgumentException("rung configurations must be >= 1, got " + configurations);
        }
        if (!(budget > 0) || !Double.isFinite(budget)) {
            throw new IllegalArgumentException("rung budget must be > 0 and finite, got " + budget);
        }
    }
}
