package org.spidernet.backend.nd4j;

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

    /** Multiply-adds of one pass (forward, or either backward). */
    long multiplyAdds() {
        return (long) batch * outChannels * outHeight * outWidth * groupInChannels() * taps();
    }
}
