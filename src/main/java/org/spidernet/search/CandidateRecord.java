package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;

import java.util.Map;

/**
 * One candidate split as the event log records it: its relative metric changes
 * {@code (child - parent) / parent} averaged over inits, the raw child and parent values, the
 * planned training peak of the child, the normalised score among the good ones (lower wins;
 * NaN when not ranked) and the decision, with a reason for failures.
 */
public record CandidateRecord(EdgeSplit split, Map<String, Double> deltas, Map<String, Double> child,
                              Map<String, Double> parent, long plannedPeakBytes, double score,
                              CandidateDecision decision, String reason) {

    public CandidateRecord {
        deltas = Map.copyOf(deltas);
        child = Map.copyOf(child);
        parent = Map.copyOf(parent);
    }

    public CandidateRecord with(double newScore, CandidateDecision newDecision) {
        return new CandidateRecord(split, deltas, child, parent, plannedPeakBytes, newScore, newDecision, reason);
    }
}
