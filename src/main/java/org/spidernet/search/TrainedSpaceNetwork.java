package org.spidernet.search;

/**
 * A search iteration's network of any space after its training ({@link SearchContext#trainNetwork}),
 * trained as it is (nothing is pruned): the network, its validation accuracy, its parameters and
 * planned and measured memory peak, and when its iteration began (for the iteration's seconds).
 */
public record TrainedSpaceNetwork(SpaceNetwork network, double validationAccuracy, long params, long plannedPeakBytes,
                                  long measuredPeakBytes, long startNanos) {
}
