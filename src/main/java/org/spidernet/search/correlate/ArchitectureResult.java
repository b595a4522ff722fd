package org.spidernet.search.correlate;

import org.spidernet.graph.Genome;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sampled architecture of a study, once finished: its genome, every metric's score on the
 * untrained net, and its test accuracy after the brief training, or why training failed.
 *
 * @param index        its place among the K samples (its seeds derive from it)
 * @param genome       the architecture
 * @param params       trainable parameters at the study's width
 * @param metrics      every metric's outcome, in the registry's order
 * @param testAccuracy accuracy on the study's test images; NaN when training failed
 * @param status       {@link #TRAINED} or {@link #TRAIN_FAILED}
 * @param detail       why training failed; empty otherwise
 * @param seconds      wall time spent on it (scoring and training)
 */
public record ArchitectureResult(int index, Genome genome, long params, Map<String, MetricScore> metrics,
                                 double testAccuracy, String status, String detail, double seconds) {
    public static final String TRAINED = "trained";
    public static final String TRAIN_FAILED = "train_failed";

    public ArchitectureResult {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public boolean trained() {
        return status.equals(TRAINED);
    }
}
