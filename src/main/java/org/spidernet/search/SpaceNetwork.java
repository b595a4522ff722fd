package org.spidernet.search;

import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;

/**
 * A network of some search space as runs record it (snapshots, checkpoints, results): the
 * space's name and the network in that space's JSON form, which the space lowers to the IR
 * ({@link ArchitectureSpace#lower}). SpiderNet's genomes are the space {@value #SPIDERNET}.
 */
public record SpaceNetwork(String space, String json) {
    public static final String SPIDERNET = "spidernet";

    public SpaceNetwork {
        if (space == null || space.isBlank() || json == null) {
            throw new IllegalArgumentException("a space network needs its space's name and its JSON");
        }
    }

    /** A SpiderNet genome. */
    public static SpaceNetwork of(Genome genome) {
        return new SpaceNetwork(SPIDERNET, GenomeJson.write(genome));
    }

    /** The SpiderNet genome this is; an {@link IllegalStateException} for another space's network. */
    public Genome genome() {
        if (!SPIDERNET.equals(space)) {
            throw new IllegalStateException("a network of the '" + space + "' space is not a SpiderNet genome");
        }
        return GenomeJson.read(json);
    }

    public boolean isGenome() {
        return SPIDERNET.equals(space);
    }
}
