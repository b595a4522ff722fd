package org.spidernet.search.bohb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * BOHB's model-based sampler (Falkner et al. 2018), a tree-structured Parzen estimator in the
 * style of Bergstra et al. 2011. From the observations at one budget it takes the best gamma
 * fraction as good (at least minPoints of them) and the rest as bad, fits a {@link ParzenDensity}
 * l(x) to the good and g(x) to the bad, draws candidates from l with bandwidths widened by
 * bandwidthFactor, and proposes the candidate that maximises l(x) / g(x), which for TPE is
 * equivalent to maximising expected improvement.
 *
 * <p>A randomFraction of proposals is uniform whatever the model says, which keeps BOHB's
 * guarantee of converging at least like random search (and Hyperband). With fewer than
 * 2 minPoints observations (with BOHB's gamma) there is no model and every proposal is uniform.
 *
 * <p>BOHB's defaults ({@link #bohb(int)}): gamma 0.15 (top_n_percent 15), minPoints d + 1,
 * candidates 64, bandwidthFactor 3, minBandwidth 1e-3, randomFraction 1/3.
 *
 * <p>A proposal is a pure function of the history and the Random's state: one nextDouble decides
 * random versus model, then uniform points take d numbers and each candidate 1 + d.
 */
public record TpeSampler(int dimension, double gamma, int minPoints, int candidates, double bandwidthFactor,
                         double minBandwidth, double randomFraction) {

    public TpeSampler {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma must lie in (0, 1), got " + gamma);
        }
        if (minPoints < 1) {
            throw new IllegalArgumentException("minPoints must be >= 1, got " + minPoints);
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
        }
        if (!(bandwidthFactor > 0) || !Double.isFinite(bandwidthFactor)) {
            throw new IllegalArgumentException("bandwidthFactor must be > 0 and finite, got " + bandwidthFactor);
        }
        if (!(minBandwidth > 0) || !Double.isFinite(minBandwidth)) {
            throw new IllegalArgumentException("minBandwidth must be > 0 and finite, got " + minBandwidth);
        }
        if (!(randomFraction >= 0 && randomFraction <= 1)) {
            throw new IllegalArgumentException("randomFraction must lie in [0, 1], got " + randomFraction);
        }
    }

    /** BOHB's published defaults for a d-dimensional space. */
    public static TpeSampler bohb(int dimension) {
        return new TpeSampler(dimension, 0.15, dimension + 1, 64, 3, 1e-3, 1.0 / 3);
    }

    /** The same sampler with another random fraction (0: always the model, once it exists). */
    public TpeSampler withRandomFraction(double fraction) {
        return new TpeSampler(dimension, gamma, minPoints, candidates, bandwidthFactor, minBandwidth, fraction);
    }

    /**
     * Whether this many observations are enough to fit both densities: after the good ones, at
     * least minPoints must remain for the bad (with BOHB's gamma, from 2 minPoints on).
     */
    public boolean canModel(int observations) {
        return observations - goodCount(observations) >= minPoints;
    }

    /** How many of n observations (sorted by loss) count as good: max(minPoints, floor(gamma n)). */
    public int goodCount(int n) {
        return Math.max(minPoints, (int) Math.floor(gamma * n));
    }

    /** The next configuration to evaluate, given the observations at one budget. */
    public Point propose(List<Observation> history, Random random) {
        if (history == null || random == null) {
            throw new IllegalArgumentException("history and random must not be null");
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).point().dimension() != dimension) {
                throw new IllegalArgumentException("history: observation " + i + " has "
                        + history.get(i).point().dimension() + " coordinates, the sampler " + dimension);
            }
        }
        boolean uniform = random.nextDouble() < randomFraction;
        if (uniform || !canModel(history.size())) {
            return Point.uniform(dimension, random);
        }
        List<Observation> sorted = sortedByLoss(history);
        int nGood = goodCount(sorted.size());
        ParzenDensity l = ParzenDensity.fit(points(sorted.subList(0, nGood)), minBandwidth);
        ParzenDensity g = ParzenDensity.fit(points(sorted.subList(nGood, sorted.size())), minBandwidth);
        Point best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            Point x = l.sample(random, bandwidthFactor);
            double score = l.logDensity(x) - g.logDensity(x);
            // Strict >: of equal scores the earlier candidate wins, one fixed rule rather than an accident of order.
            if (best == null || score > bestScore) {
                best = x;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * BOHB's choice of budget: the model is fitted on the largest budget that has enough
     * observations ({@link #canModel(int)}), since high-budget losses are the most faithful; with
     * none, the proposal is uniform. Keys are budgets, values that budget's observations.
     */
    public Point proposeAcrossBudgets(Map<Double, List<Observation>> byBudget, Random random) {
        if (byBudget == null) {
            throw new IllegalArgumentException("byBudget must not be null");
        }
        List<Observation> chosen = List.of();
        double chosenBudget = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Double, List<Observation>> e : byBudget.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("byBudget: null budget or observation list");
            }
            if (canModel(e.getValue().size()) && e.getKey() > chosenBudget) {
                chosen = e.getValue();
                chosenBudget = e.getKey();
            }
        }
        return propose(chosen, random);
    }

    /** Stable sort: equal losses keep their order in the history, so good and bad are a fixed split. */
    private static List<Observation> sortedByLoss(List<Observation> history) {
        List<Observation> s = new ArrayList<>(history);
        s.sort(Comparator.comparingDouble(Observation::loss));
        return s;
    }

    private static List<Point> points(List<Observation> obs) {
        List<Point> p = new ArrayList<>(obs.size());
        for (Observation o : obs) {
            p.add(o.point());
        }
        return p;
    }
}
