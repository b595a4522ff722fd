package org.spidernet.search;

import org.spidernet.graph.Genome;

/**
 * A search iteration's network after its training ({@link SearchContext#train}): the genome
 * trained, the same with the ops the deletion rule removed taken off, its validation accuracy,
 * how many ops were deleted, its parameters and planned and measured memory peak, and when its
 * iteration began (for the iteration's seconds).
 */
public record TrainedNetwork(Genome trained, Genome pruned, double validationAccuracy, int opsDeleted, long params,
                             long plannedPeakBytes, long measuredPeakBytes, long startNanos) {
}
