package org.spidernet.search;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A family of networks runs can record, train and report, found through
 * {@link java.util.ServiceLoader} (see {@link ArchitectureSpaces}): it reads its networks' JSON,
 * lowers them to the architecture IR (which is all the plan, the trainer and the backends need)
 * and says how to save, draw and summarise them. SpiderNet's genomes are one; DARTS's supernets
 * and derived networks another. A {@link SearchSpace} is one a strategy can also grow and sample.
 */
public interface ArchitectureSpace {

    /** The name {@link SpaceNetwork#space()} records. */
    String name();

    /** The file a run saves a network of this space in (SpiderNet's {@code genome.json}). */
    String fileName();

    /**
     * The network's IR; an {@link org.spidernet.graph.InvalidGenomeException} naming the fault for
     * JSON that is not a network of this space.
     */
    Architecture lower(String json);

    /**
     * Draws the network's cells into {@code dir} (DOT, rendered where Graphviz is installed);
     * empty where there is nothing to draw.
     */
    Optional<CellDiagram.Written> draw(String json, Path dir) throws IOException;

    /** Figures the run summary reports for the network beside its parameters and memory (SpiderNet: edges, ops). */
    Map<String, Object> describe(String json);
}
