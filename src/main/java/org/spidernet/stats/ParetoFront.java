package org.spidernet.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The non-dominated points of a set when accuracy is maximised and a cost (parameters, peak
 * memory) minimised. A point is dominated when another is at least as accurate and at most as
 * costly, and strictly better in one of the two. Ties: points identical in both coordinates do
 * not dominate each other, so all copies of a front point are on the front; a point equal to a
 * front point in one coordinate and worse in the other is dominated.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /**
     * The indices of the non-dominated points, by cost ascending (then accuracy descending, then
     * index): the order a front line is drawn in.
     *
     * @throws IllegalArgumentException for arrays of different length or a NaN coordinate
     */
    public static List<Integer> of(double[] accuracy, double[] cost) {
        int n = accuracy.length;
        if (cost.length != n) {
            throw new IllegalArgumentException("every point needs an accuracy and a cost, got " + n + " and " + cost.length);
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(accuracy[i]) || Double.isNaN(cost[i])) {
                throw new IllegalArgumentException("point " + i + " has a NaN coordinate");
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> cost[i]).thenComparing(i -> -accuracy[i])
                .thenComparing(i -> i));
        // Sweep by cost: a point is on the front when it is more accurate than everything cheaper, or
        // equal in both coordinates to the last front point (a tie, kept).
        List<Integer> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            Integer last = front.isEmpty() ? null : front.get(front.size() - 1);
            if (accuracy[i] > best) {
                front.add(i);
                best = accuracy[i];
            } else if (last != null && accuracy[i] == accuracy[last] && cost[i] == cost[last]) {
                front.add(i);
            }
        }
        return List.copyOf(front);
    }
}
