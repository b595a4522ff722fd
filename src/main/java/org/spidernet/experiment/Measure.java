package org.spidernet.experiment;

import org.spidernet.stats.PairedComparison;

/**
 * What the experiment reports of each pair, as its {@code results.csv} column and the
 * {@code summary.json} key of the pair's search it comes from. {@code better} is the direction a
 * paired comparison counts a win in; edges have none (more is neither better nor worse).
 */
public enum Measure {
    TEST_ACCURACY("test_accuracy", "test_accuracy", PairedComparison.Better.HIGHER, "%.6f"),
    PARAMS("params", "params", PairedComparison.Better.LOWER, "%.0f"),
    PLANNED_PEAK("planned_peak_bytes", "peak_memory_bytes", PairedComparison.Better.LOWER, "%.0f"),
    EDGES("edges", "edges", null, "%.0f"),
    SEARCH_IMAGES("search_images", "search_images", PairedComparison.Better.LOWER, "%.0f"),
    WALL_SECONDS("wall_seconds", "wall_seconds", PairedComparison.Better.LOWER, "%.1f");

    public final String column;
    final String summaryKey;
    public final PairedComparison.Better better;
    final String format;

    Measure(String column, String summaryKey, PairedComparison.Better better, String format) {
        this.column = column;
        this.summaryKey = summaryKey;
        this.better = better;
        this.format = format;
    }

    /** The value as the CSV files write it; empty for a missing (NaN) one. */
    public String format(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, format, v);
    }
}
