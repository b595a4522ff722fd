package org.spidernet.experiment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tables from synthetic results: means, intervals, pairing by seed and failed pairs left out. */
class ExperimentReportTest {
    private static final PlanStrategy A = new PlanStrategy("a", "spidernet", Map.of(), null);
    private static final PlanStrategy B = new PlanStrategy("b", "random", Map.of(), null);

    private static PairResult ok(PlanStrategy s, long seed, double acc, double params) {
        Map<Measure, Double> v = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            v.put(m, 1000.0 + seed);
        }
        v.put(Measure.TEST_ACCURACY, acc);
        v.put(Measure.PARAMS, params);
        v.put(Measure.EDGES, Double.NaN);
        return new PairResult(new Pair(s, seed), v, null);
    }

    @Test
    void summaryAndPairedRowsUseOnlyFinishedPairsMatchedBySeed() {
        Random rng = new Random();
        double[] a = new double[5];
        double[] b = new double[5];
        List<PairResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a[i] = rng.nextDouble();
            b[i] = rng.nextDouble();
            results.add(ok(A, i + 1, a[i], 100 + i));
        }
        for (int i = 0; i < 5; i++) {
            // b's seed 3 failed: it drops out of b's mean and of the pairing, not a's mean
            results.add(i == 2 ? PairResult.failed(new Pair(B, 3), "diverged") : ok(B, i + 1, b[i], 50));
        }
        ExperimentPlan plan = new ExperimentPlan(List.of(A, B), List.of(1L, 2L, 3L, 4L, 5L), "mnist", null, null, null, null, Map.of());
        ExperimentReport r = ExperimentReport.of(plan, results);

        StrategySummary sa = r.summaries().get(0);
        StrategySummary sb = r.summaries().get(1);
        assertEquals(5, sa.counts().get(Measure.TEST_ACCURACY));
        assertEquals(4, sb.counts().get(Measure.TEST_ACCURACY));
        assertEquals(1, sb.failed().size());
        assertEquals((a[0] + a[1] + a[2] + a[3] + a[4]) / 5, sa.intervals().get(Measure.TEST_ACCURACY).estimate(), 1e-12);
        assertEquals((b[0] + b[1] + b[3] + b[4]) / 4, sb.intervals().get(Measure.TEST_ACCURACY).estimate(), 1e-12);
        assertEquals(0, sa.counts().get(Measure.EDGES), "a measure no pair has is counted as none, not as zeros");
        assertTrue(!sa.intervals().containsKey(Measure.EDGES));

        PairedRow acc = r.paired().stream().filter(p -> p.measure() == Measure.TEST_ACCURACY).findFirst().orElseThrow();
        assertEquals(4, acc.comparison().n());
        int wins = 0;
        double diff = 0;
        for (int i : new int[]{0, 1, 3, 4}) {
            wins += a[i] > b[i] ? 1 : 0;
            diff += (a[i] - b[i]) / 4;
        }
        assertEquals(wins, acc.comparison().wins());
        assertEquals(diff, acc.comparison().difference().estimate(), 1e-12);
        PairedRow params = r.paired().stream().filter(p -> p.measure() == Measure.PARAMS).findFirst().orElseThrow();
        assertEquals(0, params.comparison().wins(), "more parameters than b on every seed: a never wins on a cost");
        assertTrue(r.paired().stream().noneMatch(p -> p.measure() == Measure.EDGES));

        String csv = r.resultsCsv();
        assertTrue(csv.contains("\nb,3,failed,,,,,,\n"), csv);
        String summary = r.summaryCsv();
        assertTrue(summary.contains("b,test_accuracy,4,"), summary);
        assertTrue(summary.lines().filter(l -> l.startsWith("b,")).allMatch(l -> l.endsWith(",1")), summary);
    }
}
