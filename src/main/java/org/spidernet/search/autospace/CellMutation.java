package org.spidernet.search.autospace;

import org.spidernet.search.darts.DartsOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * AutoSpace's local mutation: a child differs from its parent in exactly one edge, either that
 * edge's op or its source. Small steps keep the child close to a cell whose fitness is known, so
 * the population climbs instead of restarting.
 */
public final class CellMutation {
    private CellMutation() {
    }

    /** One uniformly chosen edge gets a different op, uniform over the other six. */
    public static AutoCell changeOp(AutoCell parent, Random r) {
        int i = r.nextInt(parent.edges().size());
        AutoCell.Edge e = parent.edges().get(i);
        List<DartsOp> others = AutoCell.ops().stream().filter(o -> o != e.op()).toList();
        return parent.with(i, new AutoCell.Edge(e.from(), e.to(), others.get(r.nextInt(others.size()))));
    }

    /**
     * One edge keeps its op and target but reads a vertex its node does not read yet, uniformly
     * over all such (edge, new source) moves; empty when the cell has none. With four nodes node 4
     * always has a free source, so today's cells always have a move.
     */
    public static Optional<AutoCell> rewire(AutoCell parent, Random r) {
        List<int[]> moves = new ArrayList<>();
        for (int i = 0; i < parent.edges().size(); i++) {
            int to = parent.edges().get(i).to();
            boolean[] read = new boolean[to];
            for (AutoCell.Edge in : parent.into(to)) {
                read[in.from()] = true;
            }
            for (int s = 0; s < to; s++) {
                if (!read[s]) {
                    moves.add(new int[] {i, s});
                }
            }
        }
        if (moves.isEmpty()) {
            return Optional.empty();
        }
        int[] move = moves.get(r.nextInt(moves.size()));
        AutoCell.Edge e = parent.edges().get(move[0]);
        return Optional.of(parent.with(move[0], new AutoCell.Edge(move[1], e.to(), e.op())));
    }

    /**
     * An op change with probability {@code opRate}, else a rewire (an op change when the cell has
     * no rewire). One draw decides the kind even at rates 0 and 1, so a run's draws do not depend
     * on the rate's value.
     */
    public static AutoCell mutate(AutoCell parent, double opRate, Random r) {
        requireRate(opRate);
        if (r.nextDouble() < opRate) {
            return changeOp(parent, r);
        }
        return rewire(parent, r).orElseGet(() -> changeOp(parent, r));
    }

    static void requireRate(double opRate) {
        if (!(opRate >= 0 && opRate <= 1)) {
            throw new IllegalArgumentException("AutoSpace mutation: op-change rate " + opRate + " is not in [0, 1]");
        }
    }
}
