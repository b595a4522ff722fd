package org.spidernet.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds search-strategy plug-ins ({@link SearchStrategy}) on the class path. */
public final class SearchStrategies {
    private SearchStrategies() {
    }

    /** Every strategy on the class path, by name. Two with the same name are an error: which one ran would be unclear. */
    public static List<SearchStrategy> all() {
        List<SearchStrategy> list = new ArrayList<>();
        for (SearchStrategy s : ServiceLoader.load(SearchStrategy.class)) {
            for (SearchStrategy other : list) {
                if (other.name().equals(s.name())) {
                    throw new IllegalStateException("two search strategies are named '" + s.name() + "': "
                            + other.getClass().getName() + " and " + s.getClass().getName());
                }
            }
            list.add(s);
        }
        list.sort(Comparator.comparing(SearchStrategy::name));
        return List.copyOf(list);
    }

    public static List<String> names() {
        return all().stream().map(SearchStrategy::name).toList();
    }

    public static Optional<SearchStrategy> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The strategy named {@code name}; throws {@link IllegalArgumentException} naming the known ones. */
    public static SearchStrategy byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(unknown(name)));
    }

    /**
     * Refuses {@code space} ({@code search --space}; null: none) for a strategy that searches its
     * own space only ({@link SearchStrategy#searchesOtherSpaces()}).
     */
    public static void checkSpace(SearchStrategy strategy, String space) {
        if (space != null && !strategy.searchesOtherSpaces()) {
            throw new IllegalArgumentException("--space: strategy '" + strategy.name() + "' searches its own space only");
        }
    }

    /** The one-line error for a name no strategy has. */
    public static String unknown(String name) {
        return "unknown search strategy '" + name + "' (known: " + String.join(", ", names()) + ")";
    }
}
