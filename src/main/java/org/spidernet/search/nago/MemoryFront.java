package org.spidernet.search.nago;

import org.spidernet.stats.ParetoFront;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * NAGO's second objective: the networks trained at the largest budget that no other beats on both
 * validation accuracy (up) and planned training peak (down), and the hypervolume they dominate.
 * The hypervolume is the share of the box from (accuracy 0, peak = the memory budget) to
 * (accuracy 1, peak 0) that some front network dominates: 0 for none, 1 for a perfect network
 * that takes no memory. A network over the budget dominates nothing in the box.
 */
public final class MemoryFront {
    private MemoryFront() {
    }

    /** The evaluations on the front, by planned peak ascending (the order a front line is drawn in). */
    public static List<NagoEvaluation> of(List<NagoEvaluation> evaluations) {
        return of(evaluations, NagoEvaluation::plannedPeakBytes);
    }

    /**
     * The evaluations no other beats on both accuracy (up) and {@code cost} (down: parameters,
     * multiply-adds), by cost ascending: the other two objectives, reported beside memory.
     */
    public static List<NagoEvaluation> of(List<NagoEvaluation> evaluations, ToDoubleFunction<NagoEvaluation> cost) {
        double[] accuracy = evaluations.stream().mapToDouble(NagoEvaluation::accuracy).toArray();
        double[] c = evaluations.stream().mapToDouble(cost).toArray();
        return ParetoFront.of(accuracy, c).stream().map(evaluations::get).toList();
    }

    /**
     * The hypervolume of {@code evaluations}' front under a memory budget of {@code budgetBytes}:
     * sweeping the front by peak ascending (accuracy rising), each network adds the accuracy it
     * gains over the cheaper ones times the share of the budget it leaves free.
     */
    public static double hypervolume(List<NagoEvaluation> evaluations, long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes, got " + budgetBytes);
        }
        double volume = 0;
        double reached = 0;
        for (NagoEvaluation e : of(evaluations)) {
            if (e.plannedPeakBytes() < budgetBytes && e.accuracy() > reached) {
                volume += (e.accuracy() - reached) * (1 - (double) e.plannedPeakBytes() / budgetBytes);
                reached = e.accuracy();
            }
        }
        return volume;
    }
}
