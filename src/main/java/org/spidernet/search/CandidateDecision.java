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
    /** Scoring failed (non-finite score, out of memory, ...): left out of the ranking. */
    FAILED,
    /** Not visited: the cell already had enough good candidates. */
    NOT_VISITED
}
