package org.spidernet.graph.ir;

import java.util.HashSet;
import java.util.List;

/**
 * A group of architecture weights (parameter group "alphas"): {@code rows} rows of one weight per
 * choice, each row mixing the candidate ops of one edge. Rows may be shared: DARTS uses one
 * group for all normal cells and one for all reduction cells, so edge e of every normal cell
 * reads row e of the same group.
 *
 * @param choices the candidate ops' names, one column each; a choice no weighted sum ever reads
 *                (DARTS's "none") still takes part in the row's softmax, as a zero output
 * @param mixing  how a row's weights become the factors of its ops
 */
public record AlphaGroup(String name, int rows, List<String> choices, Mixing mixing) {

    /** How a row of weights mixes its ops. */
    public enum Mixing {
        /** {@code sum_i softmax(alpha)_i * op_i(x)} (DARTS). */
        SOFTMAX,
        /**
         * One op per step, drawn by the Gumbel-max trick from {@code softmax((alpha + g) / tau)}
         * and weighted by a hard one-hot with the straight-through gradient of that softmax
         * (GDAS); in evaluation the strongest op.
         */
        GUMBEL
    }

    public AlphaGroup {
        choices = List.copyOf(choices);
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("alpha group: name missing");
        }
        if (rows < 1 || choices.size() < 2) {
            throw new IllegalArgumentException("alpha group '" + name + "': needs >= 1 row and >= 2 choices, got "
                    + rows + " and " + choices.size());
        }
        if (new HashSet<>(choices).size() != choices.size()) {
            throw new IllegalArgumentException("alpha group '" + name + "': a choice is listed twice in " + choices);
        }
        if (mixing == null) {
            throw new IllegalArgumentException("alpha group '" + name + "': mixing missing");
        }
    }

    public int width() {
        return choices.size();
    }

    public int size() {
        return rows * choices.size();
    }

    /** The softmax of {@code width} values of {@code a} from {@code offset}: one row's weights. */
    public static double[] softmax(double[] a, int offset, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < width; i++) {
            max = Math.max(max, a[offset + i]);
        }
        double[] w = new double[width];
        double sum = 0;
        for (int i = 0; i < width; i++) {
            w[i] = Math.exp(a[offset + i] - max);
            sum += w[i];
        }
        for (int i = 0; i < width; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
