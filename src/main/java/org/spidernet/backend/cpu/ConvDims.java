package org.spidernet.backend.cpu;

import org.spidernet.backend.ConvGeometry;

/** Every extent of one convolution call, after the backend has checked the tensors against each other. */
record ConvDims(int batch, int inChannels, int height, int width, int outChannels, int outHeight, int outWidth,
                ConvGeometry g) {

    int kernel() {
        return g.kernel();
    }

    int taps() {
        return g.kernel() * g.kernel();
    }

    int groupInChannels() {
        return inChannels / g.groups();
    }

    int groupOutChannels() {
        return outChannels / g.groups();
    }

    /** Rows of the stride-1 output frame: (H + 2 pad - (k-1) dilation), of which every stride-th row is kept. */
    int frameHeight() {
        return height + 2 * g.padding() - (g.kernel() - 1) * g.dilation();
    }

    /** Columns of the stride-1 output frame. */
    int frameWidth() {
        return width + 2 * g.padding() - (g.kernel() - 1) * g.dilation();
    }

    /** Frame rows up to the last one kept: (outHeight - 1) * stride + 1. */
    int frameRows() {
        return frameRows(outHeight, g.stride());
    }

    /** The stride-1 frame rows that {@code outHeight} outputs at {@code stride} are kept from. */
    static int frameRows(int outHeight, int stride) {
        return (outHeight - 1) * stride + 1;
    }

    /** Multiply-adds of one pass (forward, or either backward). */
    long multiplyAdds() {
        return (long) batch * outChannels * outHeight * outWidth * groupInChannels() * taps();
    }
}
