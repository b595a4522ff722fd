package org.spidernet.backend;

import java.util.Arrays;
import java.util.Objects;

/**
 * The argument rules every backend applies before an op touches memory, each written once with
 * one message. A failure is an {@link IllegalArgumentException} whose message starts with the op's
 * name and names the tensors and shapes involved, as the {@link Backend} contract requires. Rules
 * take shapes ({@code int[]}) so a backend can check before reaching native code.
 */
public final class ShapeCheck {
    private ShapeCheck() {
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Requires a condition on an argument, with the message supplied by the caller. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** An op's tensor argument must not be null (a {@link NullPointerException}). */
    public static void notNull(String op, String name, Tensor t) {
        Objects.requireNonNull(t, () -> op + ": " + name + " is null");
    }

    /**
     * An op's tensor must be one of this backend's ({@code ours}); a foreign tensor is a caller
     * error about the argument. {@code backend} names the backend, e.g. "cpu backend".
     */
    public static void member(String op, String name, Tensor t, boolean ours, String backend) {
        require(ours, op + ": " + name + " " + str(t.shape()) + " belongs to another backend, not this " + backend);
    }

    /** An op's tensor must be open; a closed one is a lifetime error ({@link IllegalStateException}). */
    public static void open(String op, String name, Tensor t, boolean closed) {
        if (closed) {
            throw new IllegalStateException(op + ": " + name + " " + str(t.shape()) + " is closed");
        }
    }

    /** Requires {@code actual} to be exactly the {@code expected} shape. */
    public static void shape(String op, String name, int[] actual, int... expected) {
        require(Arrays.equals(actual, expected), op + ": " + name + " has shape " + str(actual) + ", expected "
                + str(expected));
    }

    /** Requires {@code shape} to have {@code rank} dimensions. */
    public static void rank(String op, String name, int[] shape, int rank) {
        require(shape.length == rank, op + ": " + name + " must have rank " + rank + ", got shape " + str(shape));
    }

    /** Requires two shapes to be identical. */
    public static void sameShape(String op, String nameA, int[] a, String nameB, int[] b) {
        require(Arrays.equals(a, b), op + ": shape mismatch between " + nameA + " " + str(a) + " and " + nameB + " "
                + str(b));
    }

    /** Requires two shapes to hold the same number of elements. */
    public static void sameSize(String op, String nameA, int[] a, String nameB, int[] b) {
        require(Tensor.elementCount(a) == Tensor.elementCount(b), op + ": size mismatch between " + nameA + " " + str(a) + " and " + nameB
                + " " + str(b));
    }

    /**
     * Rejects an output that is also an input, for ops whose loops or kernels read an input
     * element after writing an output element; elementwise ops may run in place and do not call this.
     */
    public static void distinct(String op, String outName, Tensor out, String inName, Tensor in) {
        require(out != in, op + ": " + outName + " " + str(out.shape()) + " must not be the same tensor as " + inName);
    }

    /** Requires a leading sample dimension; returns N. */
    public static int samples(String op, String name, int[] shape) {
        require(shape.length >= 1, op + ": " + name + " needs a sample dimension, got shape " + str(shape));
        return shape[0];
    }

    /**
     * Two tensors of one shape with a leading sample dimension (the operands of a per-sample
     * dot product); returns N.
     */
    public static int samplesOfPair(String op, String nameA, int[] a, String nameB, int[] b) {
        sameShape(op, nameA, a, nameB, b);
        require(a.length >= 1, op + ": " + nameA + " and " + nameB + " need a sample dimension, got shape " + str(a));
        return a[0];
    }

    /**
     * Samples N of a sample-pair op's input {@code x} [N, ...], checked against its [N, N] output
     * {@code out} (skipped when {@code outName} is null) and against an N x N result a Java array holds.
     */
    public static int pairs(String op, String name, int[] x, String outName, int[] out) {
        int n = samples(op, name, x);
        if (outName != null) {
            require(Arrays.equals(out, new int[] {n, n}), op + ": " + outName + " has shape " + str(out)
                    + ", expected [" + n + ", " + n + "] for " + name + " " + str(x));
        }
        require((long) n * n <= Integer.MAX_VALUE - 8, op + ": " + name + " " + str(x)
                + " has too many samples for an N x N result");
        return n;
    }

    /** A host array moved into or out of a tensor must hold exactly its elements. */
    public static void hostLength(String op, int length, String name, int[] shape) {
        require(length == Tensor.elementCount(shape), op + ": data has length " + length + ", " + name + " has shape "
                + str(shape));
    }

    /** {@code src} copied into {@code dst} from element {@code offset} must lie inside dst. */
    public static void fitsAt(String op, int[] src, long offset, int[] dst) {
        require(offset >= 0 && offset + Tensor.elementCount(src) <= Tensor.elementCount(dst), op + ": src " + str(src) + " at offset "
                + offset + " does not fit in dst " + str(dst));
    }

    /**
     * Elements of a tensor about to be allocated. Every backend's download returns a Java array,
     * so a tensor may hold no more elements than an array can.
     */
    public static int allocatable(int[] shape) {
        long size = Tensor.elementCount(shape);
        require(size <= Integer.MAX_VALUE - 8, "allocate: shape " + str(shape) + " has " + size
                + " elements, more than a Java array holds");
        return (int) size;
    }
}
