package org.spidernet.search.darts;

import java.util.ArrayList;
import java.util.List;

/**
 * The eight candidate ops of a DARTS edge (Liu et al. 2019), in the order of the public code's
 * PRIMITIVES list, which is the column order of the alpha rows. {@link #NONE} is the zero op: it
 * has a weight in every row's softmax but no computation.
 */
public enum DartsOp {
    NONE("none"),
    MAX_POOL_3X3("max_pool_3x3"),
    AVG_POOL_3X3("avg_pool_3x3"),
    SKIP_CONNECT("skip_connect"),
    SEP_CONV_3X3("sep_conv_3x3"),
    SEP_CONV_5X5("sep_conv_5x5"),
    DIL_CONV_3X3("dil_conv_3x3"),
    DIL_CONV_5X5("dil_conv_5x5");

    private final String jsonName;

    DartsOp(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Every op's name, in column order. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (DartsOp op : values()) {
            n.add(op.jsonName);
        }
        return n;
    }

    /** Parses a genotype op name; the error lists the known names. */
    public static DartsOp fromName(String name) {
        for (DartsOp op : values()) {
            if (op.jsonName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown DARTS op '" + org.spidernet.io.Quoted.of(name) + "' (known: " + String.join(", ", names()) + ")");
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
