package org.spidernet.backend;

import org.spidernet.graph.ir.PoolGeometry;

/**
 * Pooling and resampling of a {@link Backend}: max and average pooling, strided subsampling and
 * global average pooling, each with its backward pass.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface PoolingOps {

    /** Max pooling; padding counts as minus infinity. */
    void maxPool(Tensor x, Tensor y, PoolGeometry g);

    /** dx += gradient of max pooling (ties: the first maximum in row-major window order wins). */
    void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g);

    /** Average pooling that always divides by kernel*kernel (padded zeros count). */
    void avgPool(Tensor x, Tensor y, PoolGeometry g);

    /** dx += gradient of {@link #avgPool}. */
    void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g);

    /** y = x[:, :, ::stride, ::stride]; y's spatial size is ceil(H / stride). */
    default void subsample(Tensor x, Tensor y, int stride) {
        subsample(x, y, stride, 0);
    }

    /**
     * y[n, c, i, j] = x[n, c, i * stride + offset, j * stride + offset], 0 where that index is past
     * x's extent (factorized reduction's second path reads x[:, :, 1::2, 1::2]); y's spatial size is
     * ceil(H / stride) for every offset in [0, stride).
     */
    void subsample(Tensor x, Tensor y, int stride, int offset);

    /** dx[:, :, ::stride, ::stride] += dy. */
    default void subsampleBackward(Tensor dy, Tensor dx, int stride) {
        subsampleBackward(dy, dx, stride, 0);
    }

    /** dx[:, :, offset::stride, offset::stride] += dy; dy's entries that read past x's extent go nowhere. */
    void subsampleBackward(Tensor dy, Tensor dx, int stride, int offset);

    /** y [N,C] = mean over H,W of x [N,C,H,W]. */
    void globalAvgPool(Tensor x, Tensor y);

    /** dx += dy / (H*W) broadcast over H,W. */
    void globalAvgPoolBackward(Tensor dy, Tensor dx);
}
