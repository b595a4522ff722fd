package org.spidernet.experiment;

/** One (strategy, seed) run of an experiment; its outputs live in {@code pairs/<label>-s<seed>/}. */
public record Pair(PlanStrategy strategy, long seed) {
    public String directoryName() {
        return strategy.label() + "-s" + seed;
    }

    @Override
    public String toString() {
        return strategy.label() + " seed " + seed;
    }
}
