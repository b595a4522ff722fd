package org.spidernet.experiment;

import org.spidernet.search.SearchConfig;

import java.nio.file.Path;

/** A pair still to run: started afresh into {@code dir} with {@code config}, or resumed from the checkpoint there. */
public record PendingPair(Pair pair, SearchConfig config, Path dir, boolean resume) {
}
