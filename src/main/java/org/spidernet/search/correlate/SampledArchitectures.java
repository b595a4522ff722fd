package org.spidernet.search.correlate;

import org.spidernet.graph.Genome;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.SearchSpace;
import org.spidernet.search.Seeds;

/**
 * The study's K architectures: sample i is the space's own random architecture (for SpiderNet's
 * space, random edge splits of the initial net and a random op subset on every edge, as random
 * search draws) from a seed derived from the study's seed and i alone, so any one can be redrawn
 * without the others.
 */
public record SampledArchitectures(SearchSpace space, Genome initial, int maxSplits, MemoryBudget budget, long seed) {

    public Genome get(int index) {
        return space.sample(initial, maxSplits, budget, Seeds.derive(seed, ArchitectureEvaluation.SAMPLE, index));
    }
}
