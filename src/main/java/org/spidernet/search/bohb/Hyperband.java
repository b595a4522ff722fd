package org.spidernet.search.bohb;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband's schedule (Li et al. 2017, Algorithm 1), the budget side of BOHB: with budgets from
 * bmin to bmax and rate eta, s_max = floor(log_eta(bmax / bmin)) and bracket s = s_max..0 starts
 * n = ceil((s_max + 1) / (s + 1) * eta^s) configurations on r = bmax * eta^-s, then halves by
 * {@link SuccessiveHalving}. Every bracket spends about the same total budget, (s_max + 1) bmax
 * in all. NAGO uses eta 2 with 30 -> 120 epochs; the paper's Table 1 uses R = 81, eta = 3.
 */
public record Hyperband(double minBudget, double maxBudget, int eta) {

    // A ratio such as 81 / 1 is a power of eta up to rounding; this tolerance keeps it one.
    private static final double RELATIVE_SLACK = 1e-9;

    public Hyperband {
        if (!(minBudget > 0) || !Double.isFinite(minBudget)) {
            throw new IllegalArgumentException("minBudget must be > 0 and finite, got " + minBudget);
        }
        if (!(maxBudget >= minBudget) || !Double.isFinite(maxBudget)) {
            throw new IllegalArgumentException("maxBudget must be finite and >= minBudget " + minBudget + ", got "
                    + maxBudget);
        }
        SuccessiveHalving.checkEta(eta);
    }

    /** floor(log_eta(maxBudget / minBudget)), computed by whole powers so that 81 / 1, eta 3 gives 4. */
    public int sMax() {
        int s = 0;
        double power = eta;
        while (minBudget * power <= maxBudget * (1 + RELATIVE_SLACK)) {
            s++;
            power *= eta;
        }
        return s;
    }

    /** Bracket s, 0 <= s <= sMax(). */
    public Bracket bracket(int s) {
        int sMax = sMax();
        if (s < 0 || s > sMax) {
            throw new IllegalArgumentException("s must lie in [0, " + sMax + "], got " + s);
        }
        long etaS = 1;
        for (int i = 0; i < s; i++) {
            etaS *= eta;
        }
        // ceil((s_max + 1) eta^s / (s + 1)) in integers, so that 33.75 -> 34 cannot become 33 or 35 by rounding.
        long n = ((long) (sMax + 1) * etaS + s) / (s + 1);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("eta " + eta + " over budgets [" + minBudget + ", " + maxBudget
                    + "] asks for " + n + " configurations in bracket " + s);
        }
        List<Rung> rungs = new ArrayList<>(s + 1);
        long etaI = 1;
        for (int i = 0; i <= s; i++) {
            // bmax / eta^(s - i) rather than r eta^i: the last rung's budget is then exactly bmax.
            rungs.add(new Rung((int) (n / etaI), maxBudget / (etaS / etaI)));
            etaI *= eta;
        }
        return new Bracket(s, rungs);
    }

    /** All brackets in Hyperband's order, s = s_max first (most exploratory) down to s = 0. */
    public List<Bracket> brackets() {
        int sMax = sMax();
        List<Bracket> out = new ArrayList<>(sMax + 1);
        for (int s = sMax; s >= 0; s--) {
            out.add(bracket(s));
        }
        return List.copyOf(out);
    }
}
