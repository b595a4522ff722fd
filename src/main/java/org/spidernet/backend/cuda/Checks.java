package org.spidernet.backend.cuda;

import java.util.Arrays;

/**
 * Argument checks of the CUDA backend, on shapes only (no device needed), so they run before
 * anything reaches native code and are unit-tested on machines without a GPU. Every failure is an
 * {@link IllegalArgumentException} naming the op and the shapes, as the
 * {@link org.spidernet.backend.Backend} contract requires.
 */
final class Checks {
    /** gridDim.y limit: the per-sample kernels put samples on the grid's y axis. */
    static final int MAX_SAMPLES = 65535;

    private Checks() {
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static void shape(String op, String name, int[] actual, int... expected) {
        require(Arrays.equals(actual, expected), op + ": " + name + " has shape " + str(actual) + ", expected "
                + str(expected));
    }

    static void rank(String op, String name, int[] shape, int rank) {
        require(shape.length == rank, op + ": " + name + " must have rank " + rank + ", got shape " + str(shape));
    }

    static void sameShape(String op, String nameA, int[] a, String nameB, int[] b) {
        require(Arrays.equals(a, b), op + ": shape mismatch between " + nameA + " " + str(a) + " and " + nameB + " "
                + str(b));
    }

    static void sameSize(String op, String nameA, int[] a, String nameB, int[] b) {
        require(elements(a) == elements(b), op + ": size mismatch between " + nameA + " " + str(a) + " and " + nameB
                + " " + str(b));
    }

    /** Leading (sample) dimension of a per-sample op's tensor, within the kernels' grid limit. */
    static int samples(String op, String name, int[] shape) {
        require(shape.length >= 1, op + ": " + name + " needs a sample dimension, got shape " + str(shape));
        require(shape[0] <= MAX_SAMPLES, op + ": " + name + " " + str(shape) + " has more than " + MAX_SAMPLES
                + " samples, the per-sample kernels' grid limit");
        return shape[0];
    }

    /**
     * Samples N of a sample-pair op's input x [N, ...], checked against its [N, N] output (when
     * {@code outName} is not null) and the kernels' limits: tiles of 16 samples on a grid axis,
     * and an N x N result a Java array holds.
     */
    static int pairs(String op, int[] x, String outName, int[] out) {
        require(x.length >= 1, op + ": x needs a sample dimension, got shape " + str(x));
        int n = x[0];
        if (outName != null) {
            require(Arrays.equals(out, new int[] {n, n}), op + ": " + outName + " has shape " + str(out)
                    + ", expected [" + n + ", " + n + "] for x " + str(x));
        }
        require((long) n * n <= Integer.MAX_VALUE - 8, op + ": x " + str(x) + " has too many samples for an N x N result");
        return n;
    }

    static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A float32 scalar argument: finite doubles that overflow float32 would silently become infinite. */
    static float toFloat(String op, String name, double value) {
        float f = (float) value;
        require(!Float.isInfinite(f) || Double.isInfinite(value), op + ": " + name + " " + value
                + " is outside the float32 range");
        return f;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
