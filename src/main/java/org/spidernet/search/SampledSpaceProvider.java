package org.spidernet.search;

import org.spidernet.graph.InputSpec;

import java.util.Optional;

/**
 * A plug-in ({@link java.util.ServiceLoader}) that opens spaces for {@code search --space}: by
 * name (AutoSpace's original space, {@code autospace}) or from a file it recognises (a learned
 * space's JSON). Tried in turn by {@link SampledSpaces}.
 */
public interface SampledSpaceProvider {

    /** The names this provider opens without a file (for the error that lists them). */
    java.util.List<String> names();

    /**
     * The space {@code spec} names or whose file it is, for images of {@code input} under
     * {@code cfg}; empty when this provider does not know it; an {@link IllegalArgumentException}
     * naming the file and the fault when it is this provider's kind of file but broken.
     */
    Optional<SampledSpace> open(String spec, InputSpec input, SearchConfig cfg);
}
