package org.spidernet.graph.ir;

/**
 * Geometry of a square pooling window. Average pooling divides by {@code kernel * kernel}
 * whatever the padding (padded zeros count), as the search space specifies; max pooling
 * treats padding as minus infinity.
 */
public record PoolGeometry(int kernel, int stride, int padding) {

    public PoolGeometry {
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("bad pooling geometry: kernel=" + kernel + " stride=" + stride
                    + " padding=" + padding);
        }
    }

    public int outSize(int in) {
        // floorDiv: a window larger than the padded input gives 0 outputs, not 1
        return Math.floorDiv(in + 2 * padding - kernel, stride) + 1;
    }
}
