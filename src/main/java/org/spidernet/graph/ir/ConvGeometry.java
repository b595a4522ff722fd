package org.spidernet.graph.ir;

/**
 * Geometry of a 2-D convolution over NCHW tensors with square kernels.
 * Weights are laid out [outChannels, inChannels / groups, kernel, kernel]; a depthwise
 * convolution has {@code groups == inChannels == outChannels}. Output size per spatial axis is
 * {@code (in + 2*padding - dilation*(kernel-1) - 1) / stride + 1}.
 */
public record ConvGeometry(int kernel, int stride, int padding, int dilation, int groups) {

    public ConvGeometry {
        if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1 || groups < 1) {
            throw new IllegalArgumentException("bad convolution geometry: kernel=" + kernel + " stride=" + stride
                    + " padding=" + padding + " dilation=" + dilation + " groups=" + groups);
        }
    }

    /** Dense (groups = 1) convolution. */
    public static ConvGeometry dense(int kernel, int stride, int padding) {
        return new ConvGeometry(kernel, stride, padding, 1, 1);
    }

    /** Output extent along one spatial axis for an input extent {@code in}. */
    public int outSize(int in) {
        // floorDiv: a window larger than the padded input gives 0 outputs, not 1
        return Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }
}
