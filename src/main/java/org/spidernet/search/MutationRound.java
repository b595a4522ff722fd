package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;

import java.util.List;

/** The outcome of a mutation round: the new genome, the splits applied, and every candidate considered. */
public record MutationRound(Genome genome, List<EdgeSplit> accepted, List<CandidateRecord> candidates) {
    public MutationRound {
        accepted = List.copyOf(accepted);
        candidates = List.copyOf(candidates);
    }

    public boolean grew() {
        return !accepted.isEmpty();
    }
}
