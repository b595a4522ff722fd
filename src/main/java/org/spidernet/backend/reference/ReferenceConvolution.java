package org.spidernet.backend.reference;


import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.ConvolutionOps;
import org.spidernet.backend.Tensor;

/** The three convolution passes of the {@link ReferenceBackend}, on {@link Convolution}. */
final class ReferenceConvolution implements ConvolutionOps {
    private final Storage storage;

    ReferenceConvolution(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        String op = "conv2d";
        double[] xs = storage.data(x, op, "x");
        double[] ws = storage.data(w, op, "w");
        double[] ys = storage.data(y, op, "y");
        ConvExtents d = ConvExtents.forward(op, x, w, y, g);
        Convolution.forward(d, xs, ws, ys);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        double[] dys = storage.data(dy, op, "dy");
        double[] ws = storage.data(w, op, "w");
        double[] dxs = storage.data(dx, op, "dx");
        ConvExtents d = ConvExtents.backwardData(op, dy, w, dx, g);
        Convolution.backwardData(d, dys, ws, dxs);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        double[] xs = storage.data(x, op, "x");
        double[] dys = storage.data(dy, op, "dy");
        double[] dws = storage.data(dw, op, "dw");
        ConvExtents d = ConvExtents.backwardFilter(op, x, dy, dw, g);
        Convolution.backwardFilter(d, xs, dys, dws);
    }
}
