package org.spidernet.search.autospace;

import org.spidernet.search.darts.DartsOp;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell as {@value #LENGTH} numbers, the form checkpoints hold it in (a search snapshot's state is
 * numeric tensors): per node, two (source, op ordinal) slots, -1 where the node reads one vertex.
 */
final class CellCode {
    static final int LENGTH = AutoCell.NODES * AutoCell.MAX_INPUTS * 2;

    private CellCode() {
    }

    static void write(AutoCell c, double[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + LENGTH, -1);
        for (int v = 1; v <= AutoCell.NODES; v++) {
            List<AutoCell.Edge> in = c.into(v);
            for (int k = 0; k < in.size(); k++) {
                int at = offset + ((v - 1) * AutoCell.MAX_INPUTS + k) * 2;
                out[at] = in.get(k).from();
                out[at + 1] = in.get(k).op().ordinal();
            }
        }
    }

    /** The cell at {@code offset}; an {@link IllegalArgumentException} naming {@code what} for numbers that are no cell. */
    static AutoCell read(double[] in, int offset, String what) {
        List<AutoCell.Edge> edges = new ArrayList<>();
        DartsOp[] ops = DartsOp.values();
        try {
            for (int v = 1; v <= AutoCell.NODES; v++) {
                for (int k = 0; k < AutoCell.MAX_INPUTS; k++) {
                    int at = offset + ((v - 1) * AutoCell.MAX_INPUTS + k) * 2;
                    double from = in[at];
                    double op = in[at + 1];
                    if (from == -1 && op == -1) {
                        continue;
                    }
                    if (from != Math.rint(from) || op != Math.rint(op) || op < 0 || op >= ops.length) {
                        throw new IllegalArgumentException("slot " + (at - offset) + " holds " + from + ", " + op);
                    }
                    edges.add(new AutoCell.Edge((int) from, v, ops[(int) op]));
                }
            }
            return new AutoCell(edges);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": not a cell (" + e.getMessage() + ")", e);
        }
    }
}
