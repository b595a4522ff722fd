package org.spidernet.backend.reference;

import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;

/**
 * Naive grouped, strided, padded, dilated 2-D convolution on row-major float64 arrays.
 * The three passes share one loop nest ({@link #forEachTap}), so the backward passes are by
 * construction the exact transposes of the forward pass: the same (input, weight, output)
 * index triples, only the direction of the accumulation differs.
 */
final class Convolution {
    private Convolution() {
    }

    /** One multiply of the convolution: flat indices into x, w and y. */
    @FunctionalInterface
    private interface Tap {
        void visit(int xi, int wi, int yi);
    }

    /** y = conv(x, w); overwrites y. */
    static void forward(ConvExtents d, double[] x, double[] w, double[] y) {
        java.util.Arrays.fill(y, 0.0);
        forEachTap(d, (xi, wi, yi) -> y[yi] += x[xi] * w[wi]);
    }

    /** dx += dL/dx: every tap sends dy back along the weight it used. */
    static void backwardData(ConvExtents d, double[] dy, double[] w, double[] dx) {
        forEachTap(d, (xi, wi, yi) -> dx[xi] += dy[yi] * w[wi]);
    }

    /** dw += dL/dw: every tap contributes input times upstream gradient to its weight. */
    static void backwardFilter(ConvExtents d, double[] x, double[] dy, double[] dw) {
        forEachTap(d, (xi, wi, yi) -> dw[wi] += x[xi] * dy[yi]);
    }

    /**
     * Visits every in-bounds tap. Output channel co belongs to group co / outPerGroup and reads
     * the inPerGroup input channels of that group; taps that land in the zero padding are
     * skipped, which is the same as multiplying by zero.
     */
    private static void forEachTap(ConvExtents d, Tap tap) {
        ConvGeometry g = d.g();
        int k = g.kernel();
        int inPerGroup = d.groupInChannels();
        int outPerGroup = d.groupOutChannels();
        for (int n = 0; n < d.batch(); n++) {
            for (int co = 0; co < d.outChannels(); co++) {
                int group = co / outPerGroup;
                for (int cl = 0; cl < inPerGroup; cl++) {
                    int ci = group * inPerGroup + cl;
                    for (int oh = 0; oh < d.outH(); oh++) {
                        for (int ow = 0; ow < d.outW(); ow++) {
                            int yi = ((n * d.outChannels() + co) * d.outH() + oh) * d.outW() + ow;
                            for (int kh = 0; kh < k; kh++) {
                                int ih = oh * g.stride() - g.padding() + kh * g.dilation();
                                if (ih < 0 || ih >= d.inH()) {
                                    continue;
                                }
                                for (int kw = 0; kw < k; kw++) {
                                    int iw = ow * g.stride() - g.padding() + kw * g.dilation();
                                    if (iw < 0 || iw >= d.inW()) {
                                        continue;
                                    }
                                    int xi = ((n * d.inChannels() + ci) * d.inH() + ih) * d.inW() + iw;
                                    int wi = ((co * inPerGroup + cl) * k + kh) * k + kw;
                                    tap.visit(xi, wi, yi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
