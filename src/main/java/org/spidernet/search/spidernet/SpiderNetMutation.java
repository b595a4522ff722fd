package org.spidernet.search.spidernet;

import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.search.CandidateDecision;
import org.spidernet.search.CandidateRecord;
import org.spidernet.search.CandidateScorer;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.MinMaxScore;
import org.spidernet.search.MutationRound;
import org.spidernet.search.ScoringFailure;
import org.spidernet.search.Seeds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * SpiderNet's mutation round: at most one split per cell. A cell's edges are visited in random
 * order; a candidate whose planned training peak exceeds the budget is skipped unbuilt; the others
 * are scored until {@code goodCandidates} good ones are found. A candidate whose scoring runs
 * out of device memory is rejected ({@link CandidateDecision#OUT_OF_MEMORY}) and the next one is
 * tried. Good means every metric moved in
 * its better direction (for SpiderNet's pair: linear regions up, NTK condition number not up).
 * Among the good ones each metric's delta is min-max normalised and the candidate with the lowest
 * mean of (1 - normalised delta) for higher-is-better metrics and (normalised delta) for
 * lower-is-better ones wins: for NTK and linear regions exactly
 * {@code 0.5 * ((1 - norm delta_LRC) + norm delta_kappa)}.
 */
public final class SpiderNetMutation {
    private final CandidateScorer scorer;
    private final MemoryBudget budget;
    private final List<String> metrics;
    private final int goodCandidates;

    public SpiderNetMutation(CandidateScorer scorer, MemoryBudget budget, List<String> metrics, int goodCandidates) {
        this.scorer = scorer;
        this.budget = budget;
        this.metrics = List.copyOf(metrics);
        this.goodCandidates = goodCandidates;
    }

    public MutationRound run(Genome start, long roundSeed) {
        Genome current = start;
        List<EdgeSplit> accepted = new ArrayList<>();
        List<CandidateRecord> all = new ArrayList<>();
        for (int k = 0; k < current.cells().size(); k++) {
            Cell cell = current.cell(k);
            List<Edge> order = new ArrayList<>(cell.edges());
            Collections.shuffle(order, new Random(Seeds.derive(roundSeed, k)));
            List<CandidateRecord> records = new ArrayList<>();
            List<Integer> good = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                Edge e = order.get(i);
                EdgeSplit split = new EdgeSplit(k, e.from(), e.to());
                if (good.size() >= goodCandidates) {
                    records.add(new CandidateRecord(split, Map.of(), Map.of(), Map.of(), -1, Double.NaN,
                            CandidateDecision.NOT_VISITED, ""));
                    continue;
                }
                Genome child = split.applyTo(current);
                long peak = budget.plannedPeak(child);
                if (peak > budget.bytes()) {
                    records.add(new CandidateRecord(split, Map.of(), Map.of(), Map.of(), peak, Double.NaN,
                            CandidateDecision.OVER_BUDGET, "planned peak " + peak + " B > budget " + budget.bytes() + " B"));
                    continue;
                }
                CandidateScorer.Scores s;
                try {
                    s = scorer.score(current, split, Seeds.derive(roundSeed, k, i));
                } catch (ScoringFailure | DeviceOutOfMemoryException f) {
                    // the scorer closes its networks, so a candidate too big to score leaves nothing behind
                    DeviceOutOfMemoryException oom = DeviceOutOfMemoryException.in(f);
                    records.add(oom != null
                            ? new CandidateRecord(split, Map.of(), Map.of(), Map.of(), peak, Double.NaN,
                                    CandidateDecision.OUT_OF_MEMORY, "scoring ran out of device memory: " + oom.getMessage())
                            : new CandidateRecord(split, Map.of(), Map.of(), Map.of(), peak, Double.NaN,
                                    CandidateDecision.FAILED, f.getMessage()));
                    continue;
                }
                boolean isGood = isGood(s.deltas());
                if (isGood) {
                    good.add(records.size());
                }
                records.add(new CandidateRecord(split, s.deltas(), s.child(), s.parent(), peak, Double.NaN,
                        isGood ? CandidateDecision.GOOD_NOT_CHOSEN : CandidateDecision.NOT_GOOD, ""));
            }
            if (!good.isEmpty()) {
                int winner = rank(records, good);
                EdgeSplit chosen = records.get(winner).split();
                current = chosen.applyTo(current);
                accepted.add(chosen);
            }
            all.addAll(records);
        }
        return new MutationRound(current, accepted, all);
    }

    boolean isGood(Map<String, Double> deltas) {
        for (String m : metrics) {
            double d = deltas.get(m);
            if (scorer.higherIsBetter(m) ? !(d > 0) : !(d <= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Writes each good candidate's score into {@code records} and returns the winner's index. */
    private int rank(List<CandidateRecord> records, List<Integer> good) {
        List<Map<String, Double>> deltas = new ArrayList<>();
        for (int i : good) {
            deltas.add(records.get(i).deltas());
        }
        double[] scores = MinMaxScore.of(deltas, metrics, scorer::higherIsBetter);
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int k = 0; k < good.size(); k++) {
            int i = good.get(k);
            double score = scores[k];
            records.set(i, records.get(i).with(score, CandidateDecision.GOOD_NOT_CHOSEN));
            if (score < bestScore) { // ties: the first visited wins
                bestScore = score;
                best = i;
            }
        }
        records.set(best, records.get(best).with(bestScore, CandidateDecision.ACCEPTED));
        return best;
    }
}
