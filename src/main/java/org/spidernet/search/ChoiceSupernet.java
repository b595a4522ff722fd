package org.spidernet.search;

/**
 * The supernet of a finite chain of choices (a {@link SampledSpace}): row r of its alpha group
 * {@link #alphaGroup()} mixes the choices of position r, and {@link #pick} is the network that
 * takes one choice per row (DARTS takes each row's strongest).
 */
public interface ChoiceSupernet {

    /** The supernet as runs record it; its space lowers it to the IR. */
    SpaceNetwork network();

    /** The name of the alpha group whose rows are the positions. */
    String alphaGroup();

    /** The network that takes choice {@code picks[r]} at row r. */
    SpaceNetwork pick(int[] picks);
}
