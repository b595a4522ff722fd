package org.spidernet.search.correlate;

import org.spidernet.metrics.MetricRegistry;
import org.spidernet.search.MinMaxScore;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.Seeds;
import org.spidernet.stats.Bootstrap;
import org.spidernet.stats.KendallTau;
import org.spidernet.stats.SpearmanRho;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The study's table: one {@link RankCorrelation} per registered metric, then one for SpiderNet's
 * combined score. The combined score is the mutation round's rule ({@link MinMaxScore}) applied
 * to the metric values themselves instead of a split's relative changes: over the architectures
 * where the search's metrics ({@link SearchDefaults#METRICS}) all succeeded, each is min-max
 * normalised and {@code 0.5 * ((1 - norm lrc) + norm ntk_centred)} is the score, lower better.
 */
public final class RankCorrelations {
    public static final String SPIDERNET_SCORE = "spidernet_score";
    /** Seed path of the bootstrap under the study's seed. */
    private static final int BOOTSTRAP = 4;

    private RankCorrelations() {
    }

    /** @param results the finished architectures, in index order */
    public static List<RankCorrelation> table(List<ArchitectureResult> results, long seed, int resamples) {
        List<RankCorrelation> rows = new ArrayList<>();
        List<String> names = MetricRegistry.names();
        for (String name : names) {
            List<double[]> pairs = new ArrayList<>();
            int failed = 0;
            for (ArchitectureResult r : results) {
                MetricScore s = r.metrics().get(name);
                if (!r.trained()) {
                    continue;
                }
                if (s == null || !s.usable()) {
                    failed++;
                } else {
                    pairs.add(new double[]{s.value(), r.testAccuracy()});
                }
            }
            rows.add(row(name, MetricRegistry.byName(name).higherIsBetter(), pairs, failed, seed, resamples));
        }
        rows.add(combined(results, seed, resamples));
        return rows;
    }

    /**
     * SpiderNet's combined score of each architecture, normalised over the trained ones whose
     * search metrics all succeeded; NaN for the others.
     */
    public static double[] combinedScores(List<ArchitectureResult> results) {
        List<Map<String, Double>> values = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ArchitectureResult r = results.get(i);
            Map<String, Double> v = new LinkedHashMap<>();
            for (String m : SearchDefaults.METRICS) {
                MetricScore s = r.metrics().get(m);
                if (s != null && s.usable()) {
                    v.put(m, s.value());
                }
            }
            if (r.trained() && v.size() == SearchDefaults.METRICS.size()) {
                values.add(v);
                where.add(i);
            }
        }
        double[] normalised = MinMaxScore.of(values, SearchDefaults.METRICS, m -> MetricRegistry.byName(m).higherIsBetter());
        double[] score = new double[results.size()];
        java.util.Arrays.fill(score, Double.NaN);
        for (int k = 0; k < where.size(); k++) {
            score[where.get(k)] = normalised[k];
        }
        return score;
    }

    private static RankCorrelation combined(List<ArchitectureResult> results, long seed, int resamples) {
        double[] score = combinedScores(results);
        List<double[]> pairs = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < score.length; i++) {
            if (!results.get(i).trained()) {
                continue;
            }
            if (Double.isNaN(score[i])) {
                failed++;
            } else {
                pairs.add(new double[]{score[i], results.get(i).testAccuracy()});
            }
        }
        return row(SPIDERNET_SCORE, false, pairs, failed, seed, resamples);
    }

    private static RankCorrelation row(String name, boolean higher, List<double[]> pairs, int failed, long seed,
                                       int resamples) {
        double[] x = new double[pairs.size()];
        double[] y = new double[pairs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pairs.get(i)[0];
            y[i] = pairs.get(i)[1];
        }
        // a seed per row (by its name: String.hashCode is specified) and statistic, so a row's
        // interval does not depend on which other metrics are registered
        Bootstrap kb = new Bootstrap(resamples, Bootstrap.LEVEL, Seeds.derive(seed, BOOTSTRAP, name.hashCode(), 0));
        Bootstrap sb = new Bootstrap(resamples, Bootstrap.LEVEL, Seeds.derive(seed, BOOTSTRAP, name.hashCode(), 1));
        return new RankCorrelation(name, higher, x.length, failed, kb.interval(x, y, KendallTau::of),
                sb.interval(x, y, SpearmanRho::of));
    }
}
