package org.spidernet.backend.reference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fresh random test data from a seed drawn at construction ({@link System#nanoTime()}), so every
 * run sees new inputs; {@link #toString()} names the seed, and every assertion message includes
 * it, so a failure can be replayed with {@link #SeededRandom(long)}.
 */
final class SeededRandom {
    private final long seed;
    private final Random random;

    SeededRandom() {
        this(System.nanoTime());
    }

    SeededRandom(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Uniform in [-1, 1): never all zero, mixed signs, magnitudes around one. */
    double[] uniform(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * random.nextDouble() - 1;
        }
        return v;
    }

    /**
     * Magnitudes in [0.1, 1) with random signs: no value within a finite-difference step of the
     * ReLU kink at zero.
     */
    double[] awayFromZero(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double magnitude = 0.1 + 0.9 * random.nextDouble();
            v[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return v;
    }

    /**
     * n values, pairwise at least 0.01 apart, in random order: no max-pooling window has a tie or
     * a near-tie that a finite-difference step could flip.
     */
    double[] wellSeparated(int n) {
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ranks.add(i);
        }
        Collections.shuffle(ranks, random);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // jitter below half the spacing keeps the order and the gaps
            v[i] = (ranks.get(i) - n / 2.0) * 0.01 + 0.004 * random.nextDouble();
        }
        return v;
    }

    /** Uniform in [lo, hi). */
    double[] between(int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return v;
    }

    int[] labels(int n, int classes) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(classes);
        }
        return v;
    }

    @Override
    public String toString() {
        return "seed=" + seed + "L";
    }
}
