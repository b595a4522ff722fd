package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The K cells one layer mixes in one evolution step. Slot 0 is the population's best, the
 * reference: a step's mix always contains it, so the supernet can always fall back on it and a
 * step cannot lose ground. The other slots are local mutations of tournament winners, checked
 * against the resource limits before anything is built.
 */
public final class MixSelection {
    /** Mutations of one tournament winner before a fresh tournament: a winner boxed in by the limits is given up. */
    static final int TRIES_PER_WINNER = 16;
    /** Failed draws for one slot before the step gives up: the limits or the population leave no room. */
    static final int TRIES_PER_SLOT = 64;

    private MixSelection() {
    }

    /**
     * The reference then {@code k - 1} distinct children that {@code fits} accepts. A child may equal
     * a population member other than those picked: it is weighed again.
     *
     * @throws IllegalStateException when the reference does not fit, or a slot cannot be filled
     */
    public static List<AutoCell> pick(LayerPopulation pop, int k, int tournamentSize, double opRate,
                                      Predicate<AutoCell> fits, Random r) {
        if (k < 1) {
            throw new IllegalArgumentException("AutoSpace selection: " + k + " cells per mix, needs at least 1");
        }
        pop.requireTournamentSize(tournamentSize);
        CellMutation.requireRate(opRate);
        AutoCell reference = pop.cell(pop.best());
        if (!fits.test(reference)) {
            throw new IllegalStateException("AutoSpace selection: the reference cell (the population's best) "
                    + reference + " does not fit the resource limits");
        }
        List<AutoCell> picked = new ArrayList<>(List.of(reference));
        while (picked.size() < k) {
            picked.add(child(pop, picked, k, tournamentSize, opRate, fits, r));
        }
        return List.copyOf(picked);
    }

    private static AutoCell child(LayerPopulation pop, List<AutoCell> picked, int k, int tournamentSize,
                                  double opRate, Predicate<AutoCell> fits, Random r) {
        int failed = 0;
        while (failed < TRIES_PER_SLOT) {
            AutoCell winner = pop.cell(pop.tournament(tournamentSize, r));
            for (int t = 0; t < TRIES_PER_WINNER && failed < TRIES_PER_SLOT; t++) {
                AutoCell child = CellMutation.mutate(winner, opRate, r);
                if (!picked.contains(child) && fits.test(child)) {
                    return child;
                }
                failed++;
            }
        }
        throw new IllegalStateException("AutoSpace selection: found only " + picked.size() + " of " + k
                + " cells after " + TRIES_PER_SLOT + " failed draws for one slot; the resource limits or the population are too tight");
    }
}
