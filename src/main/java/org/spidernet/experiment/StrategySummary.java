package org.spidernet.experiment;

import org.spidernet.stats.Interval;
import org.spidernet.stats.MeanInterval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One strategy over its seeds: each measure's mean with its 95% t interval over the pairs that
 * finished (and have the measure), and the pairs left out because they failed.
 *
 * @param intervals the measures with at least one value
 * @param counts    how many values each measure's interval is over
 * @param failed    the pairs that failed, left out of every interval
 */
public record StrategySummary(String strategy, Map<Measure, Interval> intervals, Map<Measure, Integer> counts,
                              List<PairResult> failed) {
    public StrategySummary {
        intervals = Collections.unmodifiableMap(intervals.isEmpty() ? new EnumMap<>(Measure.class) : new EnumMap<>(intervals));
        counts = Collections.unmodifiableMap(counts.isEmpty() ? new EnumMap<>(Measure.class) : new EnumMap<>(counts));
        failed = List.copyOf(failed);
    }

    /** The pairs of {@code strategy} (a label) among {@code results}, summarised. */
    public static StrategySummary of(String strategy, List<PairResult> results) {
        Map<Measure, Interval> intervals = new EnumMap<>(Measure.class);
        Map<Measure, Integer> counts = new EnumMap<>(Measure.class);
        List<PairResult> failed = new ArrayList<>();
        List<PairResult> mine = results.stream().filter(r -> r.pair().strategy().label().equals(strategy)).toList();
        for (PairResult r : mine) {
            if (!r.ok()) {
                failed.add(r);
            }
        }
        for (Measure m : Measure.values()) {
            double[] v = mine.stream().filter(PairResult::ok).mapToDouble(r -> r.value(m)).filter(x -> !Double.isNaN(x)).toArray();
            counts.put(m, v.length);
            if (v.length > 0) {
                intervals.put(m, MeanInterval.of(v));
            }
        }
        return new StrategySummary(strategy, intervals, counts, failed);
    }
}
