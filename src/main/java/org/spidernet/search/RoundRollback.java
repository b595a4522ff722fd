package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;

import java.util.List;

/**
 * A grown network that the device could not hold while training it: the growth is undone (the
 * search goes back to {@code parent}, {@code rejected} are the splits or, for random search, the
 * sample given up) and the memory budget is lowered below the failed network's planned peak, so
 * the same growth is not tried again.
 *
 * @param iteration        the search iteration whose network failed
 * @param failed           that network
 * @param parent           what the search goes back to
 * @param rejected         the splits that had grown {@code parent} into {@code failed} (empty for random search)
 * @param plannedPeakBytes the failed network's planned training peak
 * @param budgetBefore     the memory budget under which it had been grown
 * @param budgetAfter      the lowered budget, below {@code plannedPeakBytes}
 * @param error            the out-of-memory's message (bytes requested, in use, capacity)
 */
public record RoundRollback(int iteration, Genome failed, Genome parent, List<EdgeSplit> rejected,
                            long plannedPeakBytes, long budgetBefore, long budgetAfter, String error) {
    public RoundRollback {
        rejected = List.copyOf(rejected);
    }
}
