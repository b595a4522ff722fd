package org.spidernet.train;

/** Cosine learning-rate decay from the base rate to 0 over {@code epochs}, stepped per epoch or per step. */
public record CosineSchedule(double base, int epochs) {

    /** Rate for epoch {@code e} (0-based): base * (1 + cos(pi * e / epochs)) / 2. */
    public double rate(int e) {
        return rate((double) e);
    }

    /** Rate at a fractional epoch (per-step decay): base * (1 + cos(pi * t / epochs)) / 2. */
    public double rate(double t) {
        return base * 0.5 * (1 + Math.cos(Math.PI * t / epochs));
    }
}
