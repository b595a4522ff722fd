package org.spidernet.search.spidernet;

import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchSpace;

/**
 * SpiderNet's space: stacks of normal and reduction cells whose edges carry subsets of the seven
 * candidate ops, grown by edge splits from the initial net ({@link Genome#initial}); JSON is
 * {@link GenomeJson}'s and a random architecture is {@link RandomArchitecture}'s.
 */
public final class SpiderNetSpace implements SearchSpace {

    @Override
    public String name() {
        return "spidernet";
    }

    @Override
    public Genome initial(InputSpec input, SearchConfig cfg) {
        return Genome.initial(input, cfg.channels(), cfg.reductions());
    }

    /** {@code maxSteps} is the largest number of edge splits drawn. */
    @Override
    public Genome sample(Genome from, int maxSteps, MemoryBudget budget, long seed) {
        return RandomArchitecture.sample(from, maxSteps, budget, seed);
    }

    @Override
    public String encode(Genome architecture) {
        return GenomeJson.write(architecture);
    }

    @Override
    public Genome decode(String json) {
        return GenomeJson.read(json);
    }
}
