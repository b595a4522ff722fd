package org.spidernet.search.correlate;

import org.spidernet.stats.Interval;

/**
 * How well one score ranks the architectures by trained accuracy: Kendall's tau-b and Spearman's
 * rho between the score and test accuracy over the {@code n} architectures where both exist, each
 * with a percentile bootstrap interval. The sign is the raw one: a score where lower is better
 * (the NTK condition number, SpiderNet's combined score) predicts well with a negative value.
 *
 * @param score          a metric's registry name, or {@link RankCorrelations#SPIDERNET_SCORE}
 * @param higherIsBetter the score's direction
 * @param n              architectures in the correlation (scored and trained)
 * @param failed         architectures left out because the score failed on them
 * @param kendall        tau-b with its interval
 * @param spearman       rho with its interval
 */
public record RankCorrelation(String score, boolean higherIsBetter, int n, int failed, Interval kendall,
                              Interval spearman) {
}
