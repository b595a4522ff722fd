package org.spidernet.search;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds search-space plug-ins ({@link SearchSpace}) on the class path. */
public final class SearchSpaces {
    private SearchSpaces() {
    }

    /** The space named {@code name}; throws {@link IllegalArgumentException} naming the known ones. */
    public static SearchSpace byName(String name) {
        List<String> names = new ArrayList<>();
        for (SearchSpace s : ServiceLoader.load(SearchSpace.class)) {
            if (s.name().equals(name)) {
                return s;
            }
            names.add(s.name());
        }
        throw new IllegalArgumentException("unknown search space '" + org.spidernet.io.Quoted.of(name) + "' (known: " + String.join(", ", names) + ")");
    }
}
