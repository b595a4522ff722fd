package org.spidernet.backend.cuda;


import org.spidernet.backend.PoolExtents;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.PoolingOps;
import org.spidernet.backend.Tensor;

/**
 * Windowed max and average pooling, subsampling by a stride from an offset and global average pooling, forward
 * and backward, over the N*C planes of [N,C,H,W] tensors. A call with nothing to compute (no
 * planes or an empty plane) never reaches the kernels, which need at least one element.
 */
final class Pooling implements PoolingOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    Pooling(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.forward(op, x, y, g);
        if (!e.empty()) {
            stream.check(CudaNative.maxPoolForward(stream.handle(), KernelLimits.poolDims(e), xs.pointer(),
                    ys.pointer()), "snc_max_pool_forward");
        }
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.maxBackward(op, x, dy, dx, g);
        if (!e.empty()) {
            stream.check(CudaNative.maxPoolBackward(stream.handle(), KernelLimits.poolDims(e), xs.pointer(),
                    dys.pointer(), dxs.pointer()), "snc_max_pool_backward");
        }
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.forward(op, x, y, g);
        if (!e.empty()) {
            stream.check(CudaNative.avgPoolForward(stream.handle(), KernelLimits.poolDims(e), xs.pointer(),
                    ys.pointer()), "snc_avg_pool_forward");
        }
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.backward(op, dy, dx, g);
        if (!e.empty()) {
            stream.check(CudaNative.avgPoolBackward(stream.handle(), KernelLimits.poolDims(e), dys.pointer(),
                    dxs.pointer()), "snc_avg_pool_backward");
        }
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride, int offset) {
        String op = "subsample";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.subsampleForward(op, x, y, stride, offset);
        if (ys.size() > 0) {
            stream.check(CudaNative.subsampleForward(stream.handle(), xs.pointer(), ys.pointer(), e.planes(), e.inH(),
                    e.inW(), stride, offset), "snc_subsample_forward");
        }
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride, int offset) {
        String op = "subsampleBackward";
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.subsampleBackward(op, dy, dx, stride, offset);
        if (dys.size() > 0) {
            stream.check(CudaNative.subsampleBackward(stream.handle(), dys.pointer(), dxs.pointer(), e.planes(),
                    e.inH(), e.inW(), stride, offset), "snc_subsample_backward");
        }
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ys = storage.tensor(y, op, "y");
        PoolExtents e = PoolExtents.global(op, "x", xs.shape(), "y", ys.shape());
        if (ys.size() > 0) {
            stream.check(CudaNative.globalAvgPoolForward(stream.handle(), xs.pointer(), ys.pointer(), e.planes(),
                    e.inPlane()), "snc_global_avg_pool_forward");
        }
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.global(op, "dx", dxs.shape(), "dy", dys.shape());
        if (dys.size() > 0) {
            stream.check(CudaNative.globalAvgPoolBackward(stream.handle(), dys.pointer(), dxs.pointer(), e.planes(),
                    e.inPlane()), "snc_global_avg_pool_backward");
        }
    }
}
