package org.spidernet.train;

import java.util.List;

/**
 * What a {@link Trainer} holds beyond the network's tensors, captured between epochs so a killed
 * run can resume exactly: epochs done, gate momentum, the deletion rule's window, deleted gates
 * and the metrics so far.
 */
public record TrainerState(int epochsCompleted, double[] gateVelocity, List<int[]> windowCounts,
                           List<Integer> windowBatches, boolean[] pruned, List<EpochMetrics> history) {
}
