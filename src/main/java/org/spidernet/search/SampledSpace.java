package org.spidernet.search;

import org.spidernet.graph.ir.AlphaGroup;

import java.util.Optional;

/**
 * A space a strategy is pointed at with {@code search --space NAME|FILE} instead of its own:
 * networks it can draw at random (random search) and, where the space is a finite chain of
 * choices, the supernet that mixes every choice (DARTS). AutoSpace's learned spaces are one kind;
 * opened through {@link SampledSpaces} from the plug-ins ({@link SampledSpaceProvider}).
 */
public interface SampledSpace {

    /** One line for the log and the summary, e.g. "learned AutoSpace space (4 layers x 4 cells) from FILE". */
    String description();

    /** A random network of the space: a pure function of {@code seed}. */
    SpaceNetwork sample(long seed);

    /**
     * The supernet that mixes every choice of the space under {@code mixing}, when the space is a
     * finite chain of choices; empty when it is not (then DARTS cannot search it).
     */
    default Optional<ChoiceSupernet> supernet(AlphaGroup.Mixing mixing) {
        return Optional.empty();
    }
}
