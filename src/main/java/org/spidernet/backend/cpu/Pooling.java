package org.spidernet.backend.cpu;


import org.spidernet.backend.ConvExtents;
import org.spidernet.backend.PoolExtents;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.PoolingOps;
import org.spidernet.backend.Tensor;

/**
 * Pooling and resampling ops of the {@link CpuBackend}: max pooling, subsampling and global
 * averages on {@link PoolingKernels}; average pooling as the depthwise convolution it is, on
 * {@link DirectConvolution}.
 */
final class Pooling implements PoolingOps {
    private final Storage storage;
    private final WorkerPool pool;

    Pooling(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.forward(op, x, y, g);
        PoolingKernels.maxForward(pool, e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs.buffer(),
                ys.buffer());
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.maxBackward(op, x, dy, dx, g);
        PoolingKernels.maxBackward(pool, e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), g, xs.buffer(),
                dys.buffer(), dxs.buffer());
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.forward(op, x, y, g);
        if (ys.intSize() > 0) {
            ConvExtents d = PoolingKernels.averageAsConvolution(e);
            float[] w = PoolingKernels.averageWeights(e.channels(), g,
                    pool.scratch(0).floats(Scratch.WEIGHTS, e.channels() * d.taps()));
            DirectConvolution.forward(pool, d, xs.buffer(), w, ys.buffer());
        }
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.backward(op, dy, dx, g);
        if (dys.intSize() > 0) {
            ConvExtents d = PoolingKernels.averageAsConvolution(e);
            float[] w = PoolingKernels.averageWeights(e.channels(), g,
                    pool.scratch(0).floats(Scratch.WEIGHTS, e.channels() * d.taps()));
            float[] flipped = pool.scratch(0).floats(Scratch.WEIGHTS_T, e.channels() * d.taps());
            DirectConvolution.backwardData(pool, d, dys.buffer(), w, flipped, dxs.buffer());
        }
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride, int offset) {
        String op = "subsample";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.subsampleForward(op, x, y, stride, offset);
        PoolingKernels.subsample(pool, e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), stride, offset, xs.buffer(),
                ys.buffer());
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride, int offset) {
        String op = "subsampleBackward";
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.subsampleBackward(op, dy, dx, stride, offset);
        PoolingKernels.subsampleBackward(pool, e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), stride, offset,
                dys.buffer(), dxs.buffer());
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.global(op, "x", x.shape(), "y", y.shape());
        PoolingKernels.globalAverage(pool, e.planes(), e.inPlane(), xs.buffer(), ys.buffer());
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.global(op, "dx", dx.shape(), "dy", dy.shape());
        PoolingKernels.globalAverageBackward(pool, e.planes(), e.inPlane(), dys.buffer(), dxs.buffer());
    }
}
