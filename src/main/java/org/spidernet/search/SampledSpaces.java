package org.spidernet.search;

import org.spidernet.graph.InputSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Opens the space of {@code search --space} through the {@link SampledSpaceProvider} plug-ins. */
public final class SampledSpaces {
    private SampledSpaces() {
    }

    /** The space {@code spec} names or holds; an {@link IllegalArgumentException} naming it and the known names otherwise. */
    public static SampledSpace open(String spec, InputSpec input, SearchConfig cfg) {
        List<String> names = new ArrayList<>();
        for (SampledSpaceProvider p : ServiceLoader.load(SampledSpaceProvider.class)) {
            Optional<SampledSpace> s = p.open(spec, input, cfg);
            if (s.isPresent()) {
                return s.get();
            }
            names.addAll(p.names());
        }
        throw new IllegalArgumentException("--space '" + org.spidernet.io.Quoted.of(spec) + "': neither a known space ("
                + String.join(", ", names) + ") nor a space file one of them reads");
    }
}
