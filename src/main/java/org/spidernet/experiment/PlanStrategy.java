package org.spidernet.experiment;

import java.util.Map;
import java.util.TreeMap;

/**
 * One strategy of a plan: its name ({@code spidernet strategies}), the label its pairs are
 * filed and reported under (the name unless the plan runs one strategy twice with different
 * options), and its own options ({@code search --option NAME=VALUE}).
 */
public record PlanStrategy(String label, String name, Map<String, String> options) {
    public PlanStrategy {
        options = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(options));
    }
}
