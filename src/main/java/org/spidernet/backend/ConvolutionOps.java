package org.spidernet.backend;

import org.spidernet.graph.ir.ConvGeometry;

/**
 * The convolution passes of a {@link Backend}: forward, and the gradients with respect to the
 * input and the weights.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface ConvolutionOps {

    /** y = conv(x, w); x [N,Cin,H,W], w [Cout,Cin/groups,k,k], y [N,Cout,H',W']; no bias. */
    void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g);

    /** dx += conv2d gradient with respect to the input. */
    void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g);

    /** dw += conv2d gradient with respect to the weights. */
    void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g);
}
