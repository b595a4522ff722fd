package org.spidernet.train;

/** Cosine learning-rate decay from the base rate to 0 over {@code epochs}, stepped once per epoch. */
public record CosineSchedule(double base, int epochs) {

    /** Rate for epoch {@code e} (0-based): base * (1 + cos(pi * e / epochs)) / 2. */
    public double rate(int e) {
        return base * 0.5 * (1 + Math.cos(Math.PI * e / epochs));
    }
}
