package org.spidernet.backend.reference;

import java.util.Arrays;
import org.spidernet.backend.Tensor;

/**
 * Argument checks shared by the reference ops. Every failure is an
 * {@link IllegalArgumentException} whose message names the op and the shapes involved, as the
 * {@link org.spidernet.backend.Backend} contract requires.
 */
final class ShapeCheck {
    private ShapeCheck() {
    }

    static String str(Tensor t) {
        return Arrays.toString(t.shape());
    }

    /** Requires {@code t} to have exactly the {@code expected} shape. */
    static void shape(String op, String name, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + str(t) + ", expected "
                    + Arrays.toString(expected));
        }
    }

    /** Requires {@code t} to have {@code rank} dimensions. */
    static void rank(String op, String name, Tensor t, int rank) {
        if (t.shape().length != rank) {
            throw new IllegalArgumentException(op + ": " + name + " must have rank " + rank + ", got shape " + str(t));
        }
    }

    /** Requires two tensors to hold the same number of elements. */
    static void sameSize(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": size mismatch between " + nameA + " " + str(a) + " and "
                    + nameB + " " + str(b));
        }
    }

    /** Requires two tensors to have identical shapes. */
    static void sameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shape mismatch between " + nameA + " " + str(a) + " and "
                    + nameB + " " + str(b));
        }
    }

    /**
     * Rejects an output that is also an input for ops whose loops read an input element after
     * writing an output element; elementwise ops may run in place and do not call this.
     */
    static void distinct(String op, String outName, Tensor out, String inName, Tensor in) {
        if (out == in) {
            throw new IllegalArgumentException(op + ": " + outName + " " + str(out) + " must not be the same tensor as "
                    + inName);
        }
    }

    /** Requires a condition on an argument, with the message supplied by the caller. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
