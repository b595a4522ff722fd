package org.spidernet.search.fade;

import java.util.List;

/**
 * One architecture of a rank check: which candidate it picks per stage, its cells, the region's
 * score of it (sum of log architecture weights), and its test accuracy after training alone
 * (NaN when training failed: {@code status} says why).
 */
public record RankCheckMember(int index, int[] picks, List<String> cells, double regionScore, double testAccuracy,
                              long params, String status, double seconds) {
    public static final String TRAINED = "trained";

    public RankCheckMember {
        picks = picks.clone();
        cells = List.copyOf(cells);
    }

    @Override
    public int[] picks() {
        return picks.clone();
    }

    public boolean trained() {
        return TRAINED.equals(status);
    }
}
