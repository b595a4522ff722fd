package org.spidernet.backend;

import java.util.Arrays;
import java.util.Objects;

/** The argument checks of {@link Backend#gateGradient} beyond dy against x, shared by the backends. */
public final class GateGradientArgs {
    private GateGradientArgs() {
    }

    public static void check(String op, Tensor dy, double[] factor, Tensor gateGrads, int index) {
        Objects.requireNonNull(factor, "factor");
        if (dy.shape().length < 1 || factor.length != dy.shape()[0]) {
            throw new IllegalArgumentException(op + ": factor has length " + factor.length + ", dy has shape "
                    + Arrays.toString(dy.shape()));
        }
        if (gateGrads.shape().length != 1 || index < 0 || index >= gateGrads.shape()[0]) {
            throw new IllegalArgumentException(op + ": index " + index + " outside gateGrads of shape "
                    + Arrays.toString(gateGrads.shape()));
        }
    }
}
