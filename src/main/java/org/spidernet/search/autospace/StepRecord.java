package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.List;

/**
 * One evolution step as the outputs report it: the cells it mixed per layer (the reference
 * first), their softmax mixing weights, the supernet's validation accuracy and cost, and per layer
 * the population's best fitness and the mean fitness of the learned space's cells after the step.
 */
public record StepRecord(int step, List<List<AutoCell>> mixed, List<double[]> weights, double supernetAccuracy, long params,
                         long plannedPeakBytes, long measuredPeakBytes, double[] bestFitness, double[] spaceFitness) {
    public StepRecord {
        List<List<AutoCell>> copy = new ArrayList<>();
        mixed.forEach(l -> copy.add(List.copyOf(l)));
        mixed = List.copyOf(copy);
        weights = weights.stream().map(double[]::clone).toList();
        bestFitness = bestFitness.clone();
        spaceFitness = spaceFitness.clone();
    }
}
