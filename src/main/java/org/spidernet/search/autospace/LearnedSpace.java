package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.List;

/**
 * What an AutoSpace search leaves behind: the top-K cells of every layer's population, best
 * first, with their fitness. Other strategies search it with {@code search --space FILE}: random
 * search draws a cell per layer, DARTS trains it as a supernet ({@link AutoMix}) and keeps each
 * layer's strongest cell.
 */
public record LearnedSpace(CellChoices choices, List<double[]> fitness) {
    public static final String FILE = "learned-space.json";

    public LearnedSpace {
        List<double[]> copy = new ArrayList<>();
        for (double[] f : fitness) {
            copy.add(f.clone());
        }
        fitness = List.copyOf(copy);
        if (fitness.size() != choices.target().size()) {
            throw new IllegalArgumentException("AutoSpace learned space: fitness for " + fitness.size() + " layers, the target has "
                    + choices.target().size());
        }
        for (int l = 0; l < fitness.size(); l++) {
            try {
                checkFitness(fitness.get(l), choices.width());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("AutoSpace learned space: layer " + l + ": " + e.getMessage());
            }
        }
    }

    /** One layer's rule: a fitness value per cell. */
    public static void checkFitness(double[] fitness, int width) {
        if (fitness.length != width) {
            throw new IllegalArgumentException(fitness.length + " fitness values for " + width + " cells");
        }
    }

    @Override
    public List<double[]> fitness() {
        return fitness.stream().map(double[]::clone).toList();
    }
}
