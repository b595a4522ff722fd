package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FaDE's outer step, memory-less: it reads only the current centre and the batch of regions just
 * trained around it, whose ranks are relative (a region's weights say nothing about another's).
 *
 * <p>Every region holds the centre's cell at every stage, so per stage a candidate's
 * <em>advantage</em> in a region is its log weight minus the centre cell's there: the region's
 * estimate of how much better the architecture gets by swapping that cell in, in the region's
 * own units. A cell's advantages over the regions holding it are aggregated ({@link Aggregation}:
 * their mean, or their minimum for a step only on agreement); the centre's is 0 by definition.
 * The step: at each stage the centre moves to the cell of highest aggregated advantage when that
 * exceeds {@code margin} (a full step onto the best-ranked challenger; the centre stays otherwise),
 * and the {@code parents} best cells (centre included) are where the next generation's
 * candidates are drawn, so the losers are replaced by cells near the winners. Ties break by DAG
 * code, so the step is a pure function of its inputs.
 */
public final class PseudoGradientStep {
    /** How a cell's advantages over the batch's regions combine. */
    public enum Aggregation {
        MEAN, MIN
    }

    /** A cell of one stage with its aggregated advantage over the centre and how many regions held it. */
    public record CellScore(Dag cell, double advantage, int regions) {
    }

    /**
     * The step's result: the new centre (a cell per stage), per stage the next generation's parents,
     * and per stage every cell seen with its score, best first.
     */
    public record Outcome(List<Dag> centre, List<List<Dag>> parents, List<List<CellScore>> scores) {
        public Outcome {
            centre = List.copyOf(centre);
            parents = parents.stream().map(List::copyOf).toList();
            scores = scores.stream().map(List::copyOf).toList();
        }
    }

    private PseudoGradientStep() {
    }

    public static Outcome apply(List<Dag> centre, List<RegionResult> batch, Aggregation aggregation, double margin,
                                int parents) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("FaDE step: no regions in the batch");
        }
        List<Dag> next = new ArrayList<>();
        List<List<Dag>> nextParents = new ArrayList<>();
        List<List<CellScore>> allScores = new ArrayList<>();
        for (int s = 0; s < centre.size(); s++) {
            Dag c = centre.get(s).canonical();
            Map<Dag, List<Double>> advantages = new LinkedHashMap<>();
            advantages.put(c, new ArrayList<>());
            for (RegionResult r : batch) {
                List<Dag> cands = r.region().candidates().get(s);
                int ci = indexOf(cands, c);
                if (ci < 0) {
                    throw new IllegalArgumentException("FaDE step: a region of the batch lacks the centre's cell " + c.code()
                            + " at stage " + s);
                }
                for (int i = 0; i < cands.size(); i++) {
                    advantages.computeIfAbsent(cands.get(i).canonical(), k -> new ArrayList<>())
                            .add(r.logWeight(s, i) - r.logWeight(s, ci));
                }
            }
            List<CellScore> scores = new ArrayList<>();
            for (Map.Entry<Dag, List<Double>> e : advantages.entrySet()) {
                List<Double> a = e.getValue();
                double v = e.getKey().equals(c) ? 0 : aggregation == Aggregation.MEAN
                        ? a.stream().mapToDouble(Double::doubleValue).average().orElse(0)
                        : a.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                scores.add(new CellScore(e.getKey(), v, e.getKey().equals(c) ? batch.size() : a.size()));
            }
            scores.sort(Comparator.comparingDouble((CellScore x) -> -x.advantage()).thenComparing(x -> x.cell().code()));
            CellScore top = scores.get(0);
            next.add(top.advantage() > margin ? top.cell() : c);
            nextParents.add(scores.subList(0, Math.min(parents, scores.size())).stream().map(CellScore::cell).toList());
            allScores.add(scores);
        }
        return new Outcome(next, nextParents, allScores);
    }

    private static int indexOf(List<Dag> cells, Dag canonical) {
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).canonical().equals(canonical)) {
                return i;
            }
        }
        return -1;
    }
}
