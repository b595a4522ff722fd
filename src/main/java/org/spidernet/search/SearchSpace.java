package org.spidernet.search;

import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

/**
 * The architectures a search explores, found through {@link java.util.ServiceLoader} (see
 * {@link SearchSpaces}); a strategy reaches it through {@link SearchContext#space()}. An
 * architecture is a {@link Genome}, the form the trainer, the memory budget and the checkpoints
 * read. As an {@link ArchitectureSpace} it also lowers, saves, draws and summarises them.
 */
public interface SearchSpace extends ArchitectureSpace {

    /** The network a search starts from, for images of {@code input}, at the config's channels and reductions. */
    Genome initial(InputSpec input, SearchConfig cfg);

    /**
     * A random architecture at most {@code maxSteps} growth steps from {@code from} whose planned
     * training peak fits {@code budget} ({@code from} itself when nothing else does); a pure
     * function of its arguments.
     */
    Genome sample(Genome from, int maxSteps, MemoryBudget budget, long seed);

    /** The architecture as JSON, the form {@code genome.json} holds. */
    String encode(Genome architecture);

    /** Reads what {@link #encode} wrote; throws {@link org.spidernet.graph.InvalidGenomeException} for anything else. */
    Genome decode(String json);
}
