package org.spidernet.search.autospace;

/**
 * One cell of a layer population with its record: fitness (see {@link FitnessUpdate}), age in
 * steps since it joined (aging evolution retires the oldest), and how many steps weighed it (a
 * fitness backed by more evaluations wins ties).
 */
public record PopulationMember(AutoCell cell, double fitness, int age, int evaluations) {
    public PopulationMember {
        if (cell == null) {
            throw new IllegalArgumentException("AutoSpace population member: no cell");
        }
        if (!(fitness >= 0 && fitness < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("AutoSpace population member " + cell + ": fitness " + fitness
                    + " is not a finite non-negative number");
        }
        if (age < 0 || evaluations < 0) {
            throw new IllegalArgumentException("AutoSpace population member " + cell + ": age " + age
                    + " and evaluations " + evaluations + " must not be negative");
        }
    }

    /** A cell joining the population before any step weighed it. */
    public static PopulationMember unevaluated(AutoCell cell) {
        return new PopulationMember(cell, FitnessUpdate.NEUTRAL, 0, 0);
    }

    /** This member after one more step gave it fitness value {@code value}; its age is unchanged. */
    public PopulationMember evaluated(double value, double momentum) {
        return new PopulationMember(cell, FitnessUpdate.update(fitness, evaluations, value, momentum), age, evaluations + 1);
    }

    /** This member one step older. */
    public PopulationMember older() {
        return new PopulationMember(cell, fitness, age + 1, evaluations);
    }
}
