package org.spidernet.experiment;

import java.util.Map;
import java.util.TreeMap;

/**
 * One strategy of a plan: its name ({@code spidernet strategies}), the label its pairs are
 * filed and reported under (the name unless the plan runs one strategy twice with different
 * options), its own options ({@code search --option NAME=VALUE}), and the space it searches
 * instead of its own ({@code search --space}: a name or a file's absolute path; null: its own).
 */
public record PlanStrategy(String label, String name, Map<String, String> options, String space) {
    public PlanStrategy {
        options = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(options));
    }
}
