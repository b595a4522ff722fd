package org.spidernet.search;

/** Where a search run stands; checkpoints record it so a resumed run continues in the right place. */
public enum SearchPhase {
    /** Training the current network of iteration {@code iteration} (some epochs may be done). */
    SEARCH_TRAINING,
    /** Training the found network (some epochs may be done). */
    FINAL_TRAINING,
    /** Finished; the summary has been written. */
    DONE
}
