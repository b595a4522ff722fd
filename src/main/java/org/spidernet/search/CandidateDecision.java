package org.spidernet.search;

/** What happened to one candidate split in a mutation round. */
public enum CandidateDecision {
    /** Chosen: the split was applied. */
    ACCEPTED,
    /** Scored and good, but another good candidate scored better. */
    GOOD_NOT_CHOSEN,
    /** Scored, but not good (a metric moved the wrong way). */
    NOT_GOOD,
    /** Its planned training peak exceeds the memory budget: never built or scored. */
    OVER_BUDGET,
    /** Scoring failed (non-finite score, a metric's error, ...): left out of the ranking. */
    FAILED,
    /** Scoring it needed more device memory than was free: left out of the ranking, never scored. */
    OUT_OF_MEMORY,
    /**
     * Accepted, but the network it grew could not be held by the device while training: the
     * round was undone and the memory budget lowered (see {@link RoundRollback}).
     */
    ROLLED_BACK,
    /** Not visited: the cell already had enough good candidates. */
    NOT_VISITED
}
