package org.spidernet.experiment;

import org.spidernet.search.SearchConfig;

import java.nio.file.Path;

/**
 * Runs one pair's search into its directory, writing what {@code spidernet search} writes (the
 * command line supplies it, so the experiment runs exactly the search path). A
 * {@link RuntimeException} other than an {@link java.io.UncheckedIOException} is the pair's
 * failure; an I/O failure stops the experiment, to be resumed.
 */
public interface PairSearch {
    /** Searches {@code pair} with {@code config} into {@code dir} (absent or empty). */
    void start(Pair pair, SearchConfig config, Path dir) throws Exception;

    /** Continues the interrupted search in {@code dir} from its checkpoint. */
    void resume(Pair pair, Path dir) throws Exception;
}
