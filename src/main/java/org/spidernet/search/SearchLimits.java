package org.spidernet.search;

/**
 * Limits on a search beyond its memory budget and iterations: the training images it may see and
 * the wall-clock seconds it may spend. A strategy asks {@link SearchContext#stopAfter} between
 * iterations; a training phase is never cut short, so a search may end past a limit by one
 * iteration. Images are counted from the iterations trained (a pure function of them, so a
 * resumed run stops where the uninterrupted one would); wall time counts the run's time before
 * its resume too. Saved in the run's configuration (unlimited wall time as "Infinity").
 */
public record SearchLimits(long images, double wallSeconds) {
    public static final SearchLimits NONE = new SearchLimits(Long.MAX_VALUE, Double.POSITIVE_INFINITY);

    public SearchLimits {
        if (images < 0 || !(wallSeconds >= 0)) {
            throw new IllegalArgumentException("search limits must be >= 0, got " + images + " images, " + wallSeconds + " s");
        }
    }

    /**
     * Training images a search has seen once {@code iterationsTrained} iterations of
     * {@code epochsPerIteration} epochs over {@code trainImages} images are trained: what the
     * image limit counts, and the search cost the summary reports.
     */
    public static long imagesSeen(int iterationsTrained, int epochsPerIteration, int trainImages) {
        return (long) iterationsTrained * epochsPerIteration * trainImages;
    }
}
