package org.spidernet.backend;

import java.util.List;

/**
 * Channel concatenation of a {@link Backend}: a DARTS-style cell's output is the concatenation of
 * its inner nodes, and a factorized reduction concatenates two half-width convolutions.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows. The shape and
 * aliasing rules are {@link ConcatShapes}'.
 */
public interface ConcatOps {

    /**
     * y [N, sum C_j, H, W] = the xs [N, C_j, H, W] side by side along the channels: y's channel
     * block j (channels C_0 + ... + C_{j-1} onwards) is xs[j]. An x may appear more than once; y
     * must be none of them.
     */
    void concatChannels(List<Tensor> xs, Tensor y);

    /**
     * dxs[j] += dy's channel block j, whose width is {@code channels[j]}; a null dxs[j] (an input
     * that needs no gradient) is skipped. The widths are given because a skipped input has no
     * tensor to read its width from.
     */
    void concatChannelsBackward(Tensor dy, int[] channels, List<Tensor> dxs);

    /**
     * {@link #concatChannelsBackward(Tensor, int[], List)} with every block's width read from its
     * gradient, so no entry of {@code dxs} may be null here.
     */
    default void concatChannelsBackward(Tensor dy, List<Tensor> dxs) {
        concatChannelsBackward(dy, ConcatShapes.channelsOf("concatChannelsBackward", dxs), dxs);
    }
}
