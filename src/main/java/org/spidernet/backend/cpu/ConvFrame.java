package org.spidernet.backend.cpu;

import org.spidernet.backend.ConvExtents;

/**
 * The stride-1 output "frame" the tap kernels compute a strided convolution or pooling over:
 * every stride-th frame row and column is kept. A cpu-only view of {@link ConvExtents}, since
 * only these kernels work that way.
 */
final class ConvFrame {
    private ConvFrame() {
    }

    /** Rows of the stride-1 output frame: (H + 2 pad - (k-1) dilation), of which every stride-th row is kept. */
    static int height(ConvExtents d) {
        return d.inH() + 2 * d.g().padding() - (d.kernel() - 1) * d.g().dilation();
    }

    /** Columns of the stride-1 output frame. */
    static int width(ConvExtents d) {
        return d.inW() + 2 * d.g().padding() - (d.kernel() - 1) * d.g().dilation();
    }

    /** Frame rows up to the last one kept: (outH - 1) * stride + 1. */
    static int rows(ConvExtents d) {
        return rows(d.outH(), d.g().stride());
    }

    /** The stride-1 frame rows that {@code outHeight} outputs at {@code stride} are kept from. */
    static int rows(int outHeight, int stride) {
        return (outHeight - 1) * stride + 1;
    }
}
