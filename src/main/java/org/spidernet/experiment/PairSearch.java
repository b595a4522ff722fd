package org.spidernet.experiment;

import org.spidernet.search.SearchConfig;

import java.nio.file.Path;
import java.util.List;

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

    /** How many pairs run at once; above 1, the experiment hands {@link #runAll} every pair still to run. */
    default int parallelism() {
        return 1;
    }

    /**
     * Runs {@code pairs} at once (each writing its directory as {@link #start} or {@link #resume}
     * would) and returns, in their order, null for a finished pair or the failure of a failed one.
     * An I/O failure is thrown: the experiment stops, to be resumed.
     */
    default List<PairFailure> runAll(List<PendingPair> pairs) throws Exception {
        throw new UnsupportedOperationException("this pair search runs one pair at a time");
    }
}
