package org.spidernet.experiment;

import org.spidernet.stats.PairedComparison;

import java.util.ArrayList;
import java.util.List;

/**
 * Strategy {@code a} against strategy {@code b} on one measure, over the seeds where both
 * finished: {@code a}'s wins and losses in the measure's better direction and the mean of
 * {@code a - b} with its paired t interval.
 */
public record PairedRow(String a, String b, Measure measure, PairedComparison comparison) {

    /** Every two strategies (in plan order, {@code a} first) on every measure with a direction. */
    public static List<PairedRow> all(List<PlanStrategy> strategies, List<Long> seeds, List<PairResult> results) {
        List<PairedRow> rows = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            for (int j = i + 1; j < strategies.size(); j++) {
                for (Measure m : Measure.values()) {
                    if (m.better == null) {
                        continue;
                    }
                    List<Double> av = new ArrayList<>();
                    List<Double> bv = new ArrayList<>();
                    for (long seed : seeds) {
                        double x = valueOf(results, strategies.get(i), seed, m);
                        double y = valueOf(results, strategies.get(j), seed, m);
                        if (!Double.isNaN(x) && !Double.isNaN(y)) {
                            av.add(x);
                            bv.add(y);
                        }
                    }
                    if (av.isEmpty()) {
                        continue;
                    }
                    rows.add(new PairedRow(strategies.get(i).label(), strategies.get(j).label(), m,
                            PairedComparison.of(av.stream().mapToDouble(Double::doubleValue).toArray(),
                                    bv.stream().mapToDouble(Double::doubleValue).toArray(), m.better)));
                }
            }
        }
        return rows;
    }

    /** The measure of a finished pair, NaN for a failed or missing one. */
    private static double valueOf(List<PairResult> results, PlanStrategy s, long seed, Measure m) {
        for (PairResult r : results) {
            if (r.pair().strategy().equals(s) && r.pair().seed() == seed) {
                return r.ok() ? r.value(m) : Double.NaN;
            }
        }
        return Double.NaN;
    }
}
