package org.spidernet.search.bohb;

import java.util.List;

/**
 * One run of successive halving inside Hyperband: bracket s starts n configurations at the
 * smallest budget r and keeps the best 1/eta at each of its s + 1 rungs, the last at the maximum
 * budget. Larger s explores more configurations on less budget each.
 */
public record Bracket(int s, List<Rung> rungs) {

    public Bracket {
        if (s < 0) {
            throw new IllegalArgumentException("bracket s must be >= 0, got " + s);
        }
        if (rungs == null || rungs.size() != s + 1) {
            throw new IllegalArgumentException("bracket " + s + " must have " + (s + 1) + " rungs, got "
                    + (rungs == null ? "null" : rungs.size()));
        }
        for (int i = 1; i < rungs.size(); i++) {
            if (rungs.get(i).configurations() > rungs.get(i - 1).configurations()
                    || !(rungs.get(i).budget() > rungs.get(i - 1).budget())) {
                throw new IllegalArgumentException("bracket " + s + ": rung " + i
                        + " must keep no more configurations on a larger budget than rung " + (i - 1));
            }
        }
        rungs = List.copyOf(rungs);
    }

    /** Configurations sampled at the first rung (n in Li et al.). */
    public int initialConfigurations() {
        return rungs.get(0).configurations();
    }

    /** Total budget the bracket spends: the sum over rungs of configurations times budget. */
    public double totalBudget() {
        double t = 0;
        for (Rung r : rungs) {
            t += r.configurations() * r.budget();
        }
        return t;
    }
}
