package org.spidernet.search.nago;

import java.util.Arrays;
import java.util.List;

/**
 * The ops a node of NAGO's bottom-level graphs applies. A conv op is a conv node (ReLU, conv,
 * BN, at the cell's width); a pool op averages (stride 1, padded). NAGO's 3x1 and 1x3 convs are
 * left out: the engine's IR has square kernels only.
 */
public enum NagoOp {
    CONV_3X3("conv3x3", 3, true),
    CONV_5X5("conv5x5", 5, true),
    CONV_1X1("conv1x1", 1, true),
    POOL_3X3("pool3x3", 3, false),
    POOL_5X5("pool5x5", 5, false);

    private final String jsonName;
    private final int kernel;
    private final boolean conv;

    NagoOp(String jsonName, int kernel, boolean conv) {
        this.jsonName = jsonName;
        this.kernel = kernel;
        this.conv = conv;
    }

    public String jsonName() {
        return jsonName;
    }

    public int kernel() {
        return kernel;
    }

    public boolean conv() {
        return conv;
    }

    /** The ops an output node of a bottom-level graph may take: convs only, so every node ends in a learned map. */
    public static List<NagoOp> convs() {
        return Arrays.stream(values()).filter(NagoOp::conv).toList();
    }

    /** Parses {@link #jsonName()}; the error lists the known names. */
    public static NagoOp fromName(String name) {
        for (NagoOp op : values()) {
            if (op.jsonName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown NAGO op '" + org.spidernet.io.Quoted.of(name) + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(NagoOp::jsonName).toList()) + ")");
    }
}
