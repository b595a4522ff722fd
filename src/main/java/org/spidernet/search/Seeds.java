package org.spidernet.search;

/**
 * Derives independent seeds from the run's seed and a path of integers (iteration, cell,
 * candidate, ...), so that every random choice of a search is a pure function of where it is
 * made: a resumed run draws exactly what an uninterrupted one would.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long derive(long seed, long... path) {
        long h = mix(seed ^ 0x5DEECE66DL);
        for (long p : path) {
            h = mix(h + 0x9E3779B97F4A7C15L * (p + 1));
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijective avalanche of 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
