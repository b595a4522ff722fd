package org.spidernet.search.autospace;

/**
 * How one step's mixing weight becomes a cell's fitness. The weight is scaled by the number of
 * cells mixed, so fitness does not depend on K: 1 is a uniform share, above 1 the supernet
 * preferred the cell. Fitness is an exponential running average because one step's weight is
 * noisy (a short training, a changing mix), while a single bad step should not erase a cell's
 * record.
 */
public final class FitnessUpdate {
    /** The fitness of a cell no step has weighed yet: as good as a uniform share. */
    public static final double NEUTRAL = 1.0;

    private FitnessUpdate() {
    }

    /** The fitness value of mixing weight {@code weight} among {@code mixed} cells: mixed * weight. */
    public static double value(double weight, int mixed) {
        if (mixed < 1) {
            throw new IllegalArgumentException("AutoSpace fitness: " + mixed + " cells mixed, needs at least 1");
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("AutoSpace fitness: mixing weight " + weight + " is not in [0, 1]");
        }
        return mixed * weight;
    }

    /**
     * The fitness after one more value: the value itself for a cell never evaluated (its neutral
     * prior carries no evidence), else {@code (1 - momentum) * fitness + momentum * value}.
     */
    public static double update(double fitness, int evaluations, double value, double momentum) {
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("AutoSpace fitness: momentum " + momentum + " is not in (0, 1]");
        }
        if (evaluations < 0) {
            throw new IllegalArgumentException("AutoSpace fitness: evaluation count " + evaluations + " is negative");
        }
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("AutoSpace fitness: value " + value + " is not a finite non-negative number");
        }
        return evaluations == 0 ? value : (1 - momentum) * fitness + momentum * value;
    }
}
