package org.spidernet.search.spidernet;

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
 *
 * <p>Candidates are scored in batches of the scorer's {@link CandidateScorer#parallelism()} (the
 * next ones in visiting order that fit the budget, each with the seed of its position), and the
 * outcomes are taken in visiting order as if scored one by one: what was scored past the last good
 * candidate needed is recorded as not visited. The round is therefore the same at any batch width;
 * a wider batch only spends work on candidates the round may not need.
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
            int width = Math.max(1, scorer.parallelism());
            int i = 0;
            while (i < order.size()) {
                // the next batch: from i on, up to `width` candidates that fit the budget (planned, not built)
                long[] peaks = new long[order.size()];
                List<EdgeSplit> batch = new ArrayList<>();
                List<Long> seeds = new ArrayList<>();
                int end = i;
                while (end < order.size() && batch.size() < width && good.size() < goodCandidates) {
                    EdgeSplit split = split(k, order.get(end));
                    peaks[end] = budget.plannedPeak(split.applyTo(current));
                    if (peaks[end] <= budget.bytes()) {
                        batch.add(split);
                        seeds.add(Seeds.derive(roundSeed, k, end));
                    }
                    end++;
                }
                List<CandidateScorer.Outcome> outcomes = batch.isEmpty() ? List.of() : scorer.scoreAll(current, batch, seeds);
                // recorded in visiting order as if scored one by one: what follows the last good one needed is not visited
                int next = 0;
                int stop = Math.max(end, i + 1);
                for (; i < stop; i++) {
                    EdgeSplit split = split(k, order.get(i));
                    if (good.size() >= goodCandidates) {
                        records.add(new CandidateRecord(split, Map.of(), Map.of(), Map.of(), -1, Double.NaN,
                                CandidateDecision.NOT_VISITED, ""));
                        continue;
                    }
                    long peak = peaks[i];
                    if (peak > budget.bytes()) {
                        records.add(new CandidateRecord(split, Map.of(), Map.of(), Map.of(), peak, Double.NaN,
                                CandidateDecision.OVER_BUDGET, "planned peak " + peak + " B > budget " + budget.bytes() + " B"));
                        continue;
                    }
                    CandidateScorer.Outcome o = outcomes.get(next++);
                    if (o.scores() == null) {
                        records.add(new CandidateRecord(split, Map.of(), Map.of(), Map.of(), peak, Double.NaN, o.failure(),
                                o.reason()));
                        continue;
                    }
                    CandidateScorer.Scores s = o.scores();
                    boolean isGood = isGood(s.deltas());
                    if (isGood) {
                        good.add(records.size());
                    }
                    records.add(new CandidateRecord(split, s.deltas(), s.child(), s.parent(), peak, Double.NaN,
                            isGood ? CandidateDecision.GOOD_NOT_CHOSEN : CandidateDecision.NOT_GOOD, ""));
                }
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

    private static EdgeSplit split(int cell, Edge e) {
        return new EdgeSplit(cell, e.from(), e.to());
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
