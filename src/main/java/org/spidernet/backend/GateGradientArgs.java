package org.spidernet.backend;

import java.util.Arrays;
import java.util.Objects;

/**
 * The argument checks of the per-sample factor ops ({@link Backend#scaleAddPerSample},
 * {@link Backend#gateGradient}) beyond the data tensors' shapes, shared by the backends.
 */
public final class GateGradientArgs {
    private GateGradientArgs() {
    }

    /** {@code factors} must be [rows, samples] with {@code row} one of its rows. */
    public static void checkFactors(String op, Tensor factors, int row, int[] dataShape) {
        Objects.requireNonNull(factors, () -> op + ": factors is null");
        int[] f = factors.shape();
        if (dataShape.length < 1 || f.length != 2 || f[1] != dataShape[0]) {
            throw new IllegalArgumentException(op + ": factors has shape " + Arrays.toString(f)
                    + ", expected [rows, " + (dataShape.length < 1 ? "N" : dataShape[0]) + "] for data of shape "
                    + Arrays.toString(dataShape));
        }
        if (row < 0 || row >= f[0]) {
            throw new IllegalArgumentException(op + ": row " + row + " outside factors of shape " + Arrays.toString(f));
        }
    }

    /** {@link #checkFactors}, and {@code gate} must index 1-D {@code gateGrads}. */
    public static void check(String op, Tensor dy, Tensor factors, Tensor gateGrads, int gate) {
        checkFactors(op, factors, gate, dy.shape());
        if (gateGrads.shape().length != 1 || gate < 0 || gate >= gateGrads.shape()[0]) {
            throw new IllegalArgumentException(op + ": gate " + gate + " outside gateGrads of shape "
                    + Arrays.toString(gateGrads.shape()));
        }
    }
}
