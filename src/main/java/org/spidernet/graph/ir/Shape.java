package org.spidernet.graph.ir;

import java.util.Arrays;

/**
 * The per-sample shape of a node's output: a feature map {@code [channels, height, width]} or a
 * vector {@code [length]} (a classifier's logits). The batch dimension is the plan's, added when
 * the network is compiled.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int... dims) {
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": every extent must be >= 1");
            }
        }
        this.dims = dims.clone();
    }

    public static Shape map(int channels, int height, int width) {
        return new Shape(channels, height, width);
    }

    public static Shape vector(int length) {
        return new Shape(length);
    }

    public boolean isMap() {
        return dims.length == 3;
    }

    /** Channels of a map, length of a vector. */
    public int channels() {
        return dims[0];
    }

    public int height() {
        return requireMap()[1];
    }

    public int width() {
        return requireMap()[2];
    }

    /** The shape with the batch dimension in front: [n, C, H, W] or [n, L]. */
    public int[] batched(int n) {
        int[] s = new int[dims.length + 1];
        s[0] = n;
        System.arraycopy(dims, 0, s, 1, dims.length);
        return s;
    }

    public Shape withChannels(int channels) {
        int[] d = dims.clone();
        d[0] = channels;
        return new Shape(d);
    }

    private int[] requireMap() {
        if (!isMap()) {
            throw new IllegalStateException("shape " + this + " is a vector, not a feature map");
        }
        return dims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
