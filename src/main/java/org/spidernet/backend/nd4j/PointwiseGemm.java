package org.spidernet.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pointwise (1x1, stride 1, unpadded, ungrouped) convolution as one BLAS matrix product per
 * sample: with x[n] a [Cin, H*W] matrix and w a [Cout, Cin] one, y[n] = w x[n],
 * dx[n] += w^T dy[n] and dw += sum over n of dy[n] x[n]^T (float32 sums in BLAS).
 *
 * <p>Why a threshold: measured on the 2-core development machine (PwGemm probe, 20 calls each,
 * 2026-11-23), OpenBLAS through ND4J took 1.0 ms against the tap loops' 0.7 ms for 8 -&gt; 8
 * channels on 64 x 28 x 28, but 1.5-1.7 ms against 3.7-3.8 ms for 16 -&gt; 16 on 64 x 32 x 32 and
 * 1.1 ms against 2.4 ms for 32 -&gt; 32 on 64 x 14 x 14: with 8 input channels a product is too
 * thin for BLAS, from 16 on it wins by about 2.3x. {@code OpFamilyBenchmark -p op=pw_conv}
 * measures the path in place.
 */
final class PointwiseGemm {
    /** Input and output channels from which the BLAS path is taken. */
    static final int MIN_CHANNELS = 16;

    private PointwiseGemm() {
    }

    static boolean applies(ConvDims d) {
        var g = d.g();
        return g.kernel() == 1 && g.stride() == 1 && g.padding() == 0 && g.groups() == 1
                && d.inChannels() >= MIN_CHANNELS && d.outChannels() >= MIN_CHANNELS;
    }

    static void forward(ConvDims d, Nd4jTensor x, Nd4jTensor w, Nd4jTensor y) {
        INDArray wm = w.matrix(d.outChannels(), d.inChannels());
        INDArray[] xs = x.sampleMatrices(d.inChannels(), plane(d));
        INDArray[] ys = y.sampleMatrices(d.outChannels(), plane(d));
        for (int n = 0; n < d.batch(); n++) {
            Nd4j.gemm(wm, xs[n], ys[n], false, false, 1.0, 0.0);
        }
    }

    static void backwardData(ConvDims d, Nd4jTensor dy, Nd4jTensor w, Nd4jTensor dx) {
        INDArray wm = w.matrix(d.outChannels(), d.inChannels());
        INDArray[] dys = dy.sampleMatrices(d.outChannels(), plane(d));
        INDArray[] dxs = dx.sampleMatrices(d.inChannels(), plane(d));
        for (int n = 0; n < d.batch(); n++) {
            Nd4j.gemm(wm, dys[n], dxs[n], true, false, 1.0, 1.0);
        }
    }

    static void backwardFilter(ConvDims d, Nd4jTensor x, Nd4jTensor dy, Nd4jTensor dw) {
        INDArray dwm = dw.matrix(d.outChannels(), d.inChannels());
        INDArray[] xs = x.sampleMatrices(d.inChannels(), plane(d));
        INDArray[] dys = dy.sampleMatrices(d.outChannels(), plane(d));
        for (int n = 0; n < d.batch(); n++) {
            Nd4j.gemm(dys[n], xs[n], dwm, false, true, 1.0, 1.0);
        }
    }

    private static int plane(ConvDims d) {
        return d.height() * d.width();
    }
}
