package org.spidernet.backend.cpu;

import java.util.Arrays;
import org.spidernet.backend.Tensor;

/**
 * Argument checks of the CPU backend. Every failure is an {@link IllegalArgumentException} whose
 * message names the op and the shapes involved, as the {@link org.spidernet.backend.Backend}
 * contract requires.
 */
final class Checks {
    private Checks() {
    }

    static String str(Tensor t) {
        return Arrays.toString(t.shape());
    }

    static void shape(String op, String name, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + str(t) + ", expected "
                    + Arrays.toString(expected));
        }
    }

    static void rank(String op, String name, Tensor t, int rank) {
        if (t.shape().length != rank) {
            throw new IllegalArgumentException(op + ": " + name + " must have rank " + rank + ", got shape " + str(t));
        }
    }

    static void sameSize(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": size mismatch between " + nameA + " " + str(a) + " and "
                    + nameB + " " + str(b));
        }
    }

    static void sameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shape mismatch between " + nameA + " " + str(a) + " and "
                    + nameB + " " + str(b));
        }
    }

    /**
     * Rejects an output that is also an input, for ops whose kernels read inputs after writing
     * outputs; the elementwise ops may run in place and do not call this.
     */
    static void distinct(String op, String outName, Tensor out, String inName, Tensor in) {
        if (out == in) {
            throw new IllegalArgumentException(op + ": " + outName + " " + str(out) + " must not be the same tensor as "
                    + inName);
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
