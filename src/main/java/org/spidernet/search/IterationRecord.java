package org.spidernet.search;

/**
 * One search iteration as the outputs report it: the network trained (edges, live ops,
 * parameters), its planned and measured memory peak, validation accuracy after training, ops the
 * deletion rule removed, splits accepted by the following mutation round, and seconds spent.
 */
public record IterationRecord(int iteration, int edges, int ops, long params, long plannedPeakBytes,
                              long measuredPeakBytes, double validationAccuracy, int opsDeleted, int splitsAccepted,
                              double seconds) {
}
