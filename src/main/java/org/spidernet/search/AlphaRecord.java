package org.spidernet.search;

import java.util.List;

/**
 * A group of architecture weights after one search iteration, as the outputs log and plot them:
 * each row's mixing weights (softmax of its alphas), rows x choices.
 */
public record AlphaRecord(int iteration, String group, List<String> choices, double[][] weights) {

    public AlphaRecord {
        choices = List.copyOf(choices);
        for (double[] row : weights) {
            if (row.length != choices.size()) {
                throw new IllegalArgumentException("alpha record '" + group + "': a row of " + row.length
                        + " weights for " + choices.size() + " choices");
            }
        }
    }

    /** Each choice's weight averaged over the rows: the op's overall standing in the group. */
    public double[] meanByChoice() {
        double[] m = new double[choices.size()];
        for (double[] row : weights) {
            for (int i = 0; i < row.length; i++) {
                m[i] += row[i] / weights.length;
            }
        }
        return m;
    }
}
