package org.spidernet.search;

import java.util.List;

/**
 * A search strategy, found through {@link java.util.ServiceLoader} (see {@link SearchStrategies}).
 * The strategy decides which networks are trained during the search and which one is found; the
 * {@link SearchContext} it is handed owns everything strategies share: the budget, the seed, the
 * training of a network (with pruning, snapshots and out-of-memory detection), the observer that
 * writes the event log and the checkpoints, and, after {@link #search}, the final training of the
 * found network and its test. Implementations are stateless and cheap to construct: one instance
 * may run several searches.
 *
 * <p>A new strategy is a class in its own package plus a line in
 * {@code META-INF/services/org.spidernet.search.SearchStrategy}; nothing else changes.
 */
public interface SearchStrategy {

    /** The name {@code search --strategy} takes and checkpoints record, e.g. {@code spidernet}. */
    String name();

    /** One line for {@code spidernet strategies}. */
    String description();

    /** Settings of the run configuration this strategy reads beyond the shared ones (none: empty). */
    List<StrategyOption> options();

    /**
     * The shared settings' defaults for this strategy on a machine of this class (with or without
     * a device): the machine's own ({@code machine}), or the strategy's where its method needs
     * others (DARTS's cells are narrower than SpiderNet's). The default keeps the machine's.
     */
    default SearchDefaults defaults(SearchDefaults machine, boolean device) {
        return machine;
    }

    /**
     * Whether the search starts from the space's initial network ({@link SearchContext#initial()}),
     * which must then fit the memory budget before anything runs; a strategy over networks of
     * its own (DARTS's supernet) checks its own and says false.
     */
    default boolean startsFromInitial() {
        return true;
    }

    /**
     * Whether {@code search --space} may point this strategy at another space than its own
     * ({@link SearchContext#sampledSpace()}); a strategy bound to its own space's moves (SpiderNet's
     * growth, FaDE's regions) says false, and a run with a space is refused before it starts.
     */
    default boolean searchesOtherSpaces() {
        return false;
    }

    /**
     * Refuses a space given with {@code --space} that this strategy cannot search (DARTS: one
     * without a supernet), before anything is written: an {@link IllegalArgumentException} naming
     * the space and the fault. Called only when {@link #searchesOtherSpaces()}; the default accepts all.
     */
    default void validateSpace(SampledSpace space, SearchConfig cfg) {
    }

    /**
     * Refuses a configuration this strategy cannot run, before anything is written: an
     * {@link IllegalArgumentException} whose message names the setting and the fault. Every
     * option of {@link #options()} is filled in by then. The default accepts all.
     */
    default void validate(SearchConfig cfg) {
    }

    /**
     * Training images a search of this strategy has seen once {@code iterations} iterations are
     * done on {@code trainImages} images: what the image budget ({@code --max-images}) counts and
     * run summaries report as {@code search_images}. The default trains one network per iteration
     * for the configured epochs; a strategy that trains several (FaDE's batch of regions) counts them.
     */
    default long imagesSeen(SearchConfig cfg, int iterations, int trainImages) {
        return SearchLimits.imagesSeen(iterations, cfg.train().epochs(), trainImages);
    }

    /**
     * Runs the search from {@link SearchContext#resumed()} (a snapshot in
     * {@link SearchPhase#SEARCH_TRAINING}) or, when there is none, from the start, reporting a
     * snapshot through the context after every step so that a killed run can resume; returns the
     * snapshot the final training starts from ({@link SearchPhase#FINAL_TRAINING}, as made by
     * {@link SearchContext#finish}).
     */
    SearchSnapshot search(SearchContext ctx);
}
