package org.spidernet.backend.reference;


import org.spidernet.backend.PoolExtents;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.PoolingOps;
import org.spidernet.backend.Tensor;

/** Max, average and global average pooling and subsampling for the {@link ReferenceBackend}, on {@link Pooling}. */
final class ReferencePooling implements PoolingOps {
    private final Storage storage;

    ReferencePooling(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        PoolExtents e = PoolExtents.forward(op, x, y, g);
        Pooling.max(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs, ys);
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        double[] xs = storage.data(x, op, "x");
        double[] dys = storage.data(dy, op, "dy");
        double[] dxs = storage.data(dx, op, "dx");
        PoolExtents e = PoolExtents.maxBackward(op, x, dy, dx, g);
        Pooling.maxBackward(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs, dys, dxs);
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        PoolExtents e = PoolExtents.forward(op, x, y, g);
        Pooling.avg(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs, ys);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        double[] dys = storage.data(dy, op, "dy");
        double[] dxs = storage.data(dx, op, "dx");
        PoolExtents e = PoolExtents.backward(op, dy, dx, g);
        Pooling.avgBackward(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, dys, dxs);
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride, int offset) {
        String op = "subsample";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        PoolExtents e = PoolExtents.subsampleForward(op, x, y, stride, offset);
        Pooling.subsample(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), stride, offset, xs, ys);
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride, int offset) {
        String op = "subsampleBackward";
        double[] dys = storage.data(dy, op, "dy");
        double[] dxs = storage.data(dx, op, "dx");
        PoolExtents e = PoolExtents.subsampleBackward(op, dy, dx, stride, offset);
        Pooling.subsampleBackward(e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), stride, offset, dys, dxs);
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        double[] xs = storage.data(x, op, "x");
        double[] ys = storage.data(y, op, "y");
        PoolExtents e = PoolExtents.global(op, "x", x.shape(), "y", y.shape());
        Pooling.globalAvg(e.planes(), e.inPlane(), xs, ys);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        double[] dys = storage.data(dy, op, "dy");
        double[] dxs = storage.data(dx, op, "dx");
        PoolExtents e = PoolExtents.global(op, "dx", dx.shape(), "dy", dy.shape());
        Pooling.globalAvgBackward(e.planes(), e.inPlane(), dys, dxs);
    }
}
