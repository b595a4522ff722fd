package org.spidernet.backend;

import java.util.Arrays;

/**
 * A handle to a dense, row-major (NCHW for images) array owned by one {@link Backend}.
 * The element type is the backend's ({@link Backend#bytesPerElement()}); the contents are only
 * reachable through the backend, so a device backend never has to copy to the host behind the
 * caller's back. Closing frees the storage; a closed tensor must not be used again.
 */
public interface Tensor extends AutoCloseable {

    /** Dimensions, outermost first. The returned array must not be modified. */
    int[] shape();

    /** Number of elements (product of the shape). */
    default long size() {
        return elementCount(shape());
    }

    /** Frees the storage. Idempotent. */
    @Override
    void close();

    static long elementCount(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }
}
