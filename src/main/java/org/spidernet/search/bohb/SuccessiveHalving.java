package org.spidernet.search.bohb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Successive halving (Jamieson and Talwalkar 2016, as used by Hyperband and BOHB): run n
 * configurations on budget r, keep the best floor(n_i / eta), multiply the budget by eta, repeat.
 * Rung i therefore runs floor(n eta^-i) configurations on budget r eta^i.
 */
public final class SuccessiveHalving {
    private SuccessiveHalving() {
    }

    /**
     * The rungs of one run of successive halving.
     *
     * @param n configurations at the first rung
     * @param r budget of the first rung
     * @param eta the halving rate (keep 1/eta per rung), >= 2
     * @param rungs how many rungs, >= 1; rung rungs - 1 must still hold a configuration
     */
    public static List<Rung> schedule(int n, double r, int eta, int rungs) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (!(r > 0) || !Double.isFinite(r)) {
            throw new IllegalArgumentException("r must be > 0 and finite, got " + r);
        }
        checkEta(eta);
        if (rungs < 1) {
            throw new IllegalArgumentException("rungs must be >= 1, got " + rungs);
        }
        List<Rung> out = new ArrayList<>(rungs);
        long scale = 1; // eta^i as an integer, so floor(n eta^-i) is exact integer division
        for (int i = 0; i < rungs; i++) {
            long kept = n / scale;
            if (kept < 1) {
                throw new IllegalArgumentException("rungs: " + rungs + " rungs of eta " + eta + " leave no configuration of "
                        + n + " at rung " + i);
            }
            out.add(new Rung((int) kept, r * scale));
            scale *= eta;
        }
        return out;
    }

    /**
     * The indices of the {@code keep} lowest losses of a rung, best first; equal losses keep the
     * earlier index, so the choice is a pure function of the list.
     */
    public static List<Integer> promote(List<Double> losses, int keep) {
        if (losses == null) {
            throw new IllegalArgumentException("losses must not be null");
        }
        if (keep < 0 || keep > losses.size()) {
            throw new IllegalArgumentException("keep must lie in [0, " + losses.size() + "], got " + keep);
        }
        for (int i = 0; i < losses.size(); i++) {
            Double l = losses.get(i);
            if (l == null || Double.isNaN(l)) {
                throw new IllegalArgumentException("losses: entry " + i + " is " + l + "; leave failed runs out instead");
            }
        }
        List<Integer> order = new ArrayList<>(losses.size());
        for (int i = 0; i < losses.size(); i++) {
            order.add(i);
        }
        // List.sort is stable: equal losses stay in index order.
        order.sort(Comparator.comparingDouble(losses::get));
        return List.copyOf(order.subList(0, keep));
    }

    /** The results of a rung that go on to the next rung, best first (ties: earlier in the list). */
    public static <T> List<T> promote(List<T> rung, java.util.function.ToDoubleFunction<T> loss, int keep) {
        if (rung == null || loss == null) {
            throw new IllegalArgumentException("rung and loss must not be null");
        }
        List<Double> losses = new ArrayList<>(rung.size());
        for (T t : rung) {
            losses.add(loss.applyAsDouble(t));
        }
        List<T> out = new ArrayList<>(keep);
        for (int i : promote(losses, keep)) {
            out.add(rung.get(i));
        }
        return List.copyOf(out);
    }

    static void checkEta(int eta) {
        if (eta < 2) {
            throw new IllegalArgumentException("eta must be >= 2, got " + eta);
        }
    }
}
