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

    /**
     * Every score of the table, in its order (the registered metrics, then SpiderNet's combined
     * score), on each architecture of {@code results} (the finished ones, in index order): NaN
     * where the score failed.
     */
    public static Map<String, double[]> scores(List<ArchitectureResult> results) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (String name : MetricRegistry.names()) {
            double[] v = new double[results.size()];
            for (int i = 0; i < v.length; i++) {
                MetricScore s = results.get(i).metrics().get(name);
                v[i] = s != null && s.usable() ? s.value() : Double.NaN;
            }
            scores.put(name, v);
        }
        scores.put(SPIDERNET_SCORE, combinedScores(results));
        return scores;
    }

    /** The points {x, y} of one score: its value and the test accuracy of each trained architecture where it exists. */
    public static double[][] points(double[] score, List<ArchitectureResult> results) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < score.length; i++) {
            if (results.get(i).trained() && !Double.isNaN(score[i])) {
                pairs.add(new double[]{score[i], results.get(i).testAccuracy()});
            }
        }
        return new double[][]{pairs.stream().mapToDouble(p -> p[0]).toArray(), pairs.stream().mapToDouble(p -> p[1]).toArray()};
    }

    /** One row per score of {@link #scores}: its correlation over its {@link #points}. */
    public static List<RankCorrelation> table(Map<String, double[]> scores, List<ArchitectureResult> results, long seed,
                                              int resamples) {
        long trained = results.stream().filter(ArchitectureResult::trained).count();
        List<RankCorrelation> rows = new ArrayList<>();
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            String name = e.getKey();
            double[][] xy = points(e.getValue(), results);
            boolean higher = !name.equals(SPIDERNET_SCORE) && MetricRegistry.byName(name).higherIsBetter();
            rows.add(row(name, higher, xy[0], xy[1], (int) (trained - xy[0].length), seed, resamples));
        }
        return rows;
    }

    /**
     * SpiderNet's combined score of each architecture, normalised over the trained ones whose
     * search metrics all succeeded; NaN for the others.
     */
    private static double[] combinedScores(List<ArchitectureResult> results) {
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

    private static RankCorrelation row(String name, boolean higher, double[] x, double[] y, int failed, long seed,
                                       int resamples) {
        // a seed per row (by its name: String.hashCode is specified) and statistic, so a row's
        // interval does not depend on which other metrics are registered
        Bootstrap kb = new Bootstrap(resamples, Bootstrap.LEVEL, Seeds.derive(seed, BOOTSTRAP, name.hashCode(), 0));
        Bootstrap sb = new Bootstrap(resamples, Bootstrap.LEVEL, Seeds.derive(seed, BOOTSTRAP, name.hashCode(), 1));
        return new RankCorrelation(name, higher, x.length, failed, kb.interval(x, y, KendallTau::of),
                sb.interval(x, y, SpearmanRho::of));
    }
}
