package org.spidernet.search;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SpiderNet's way of combining metrics into one score (its mutation round): each metric's values
 * are min-max normalised across the candidates, and a candidate's score is the mean over metrics
 * of (1 - normalised value) where higher is better and (normalised value) where lower is; the
 * lowest score is best. For NTK and linear regions that is exactly
 * {@code 0.5 * ((1 - norm LRC) + norm kappa)}. Equal values (one candidate) normalise to 0.
 */
public final class MinMaxScore {
    private MinMaxScore() {
    }

    /**
     * @param candidates     per candidate, a finite value for every metric in {@code metrics}
     * @param higherIsBetter whether a larger value of the named metric is better
     * @return the combined score of each candidate, in order; lower is better
     */
    public static double[] of(List<Map<String, Double>> candidates, List<String> metrics,
                              Predicate<String> higherIsBetter) {
        double[] score = new double[candidates.size()];
        for (String m : metrics) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Map<String, Double> c : candidates) {
                lo = Math.min(lo, c.get(m));
                hi = Math.max(hi, c.get(m));
            }
            boolean higher = higherIsBetter.test(m);
            for (int i = 0; i < score.length; i++) {
                double v = candidates.get(i).get(m);
                double norm = hi > lo ? (v - lo) / (hi - lo) : 0.0;
                score[i] += higher ? 1 - norm : norm;
            }
        }
        for (int i = 0; i < score.length; i++) {
            score[i] /= metrics.size(); // summed first, then divided: the search's scores to the last bit
        }
        return score;
    }
}
