package org.spidernet.backend.cpu;


import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.ConvolutionOps;
import org.spidernet.backend.Tensor;

/** The three convolution passes of the {@link CpuBackend}, on {@link DirectConvolution}. */
final class Convolution implements ConvolutionOps {
    private final Storage storage;
    private final WorkerPool pool;

    Convolution(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        String op = "conv2d";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ws = storage.tensor(w, op, "w");
        CpuTensor ys = storage.tensor(y, op, "y");
        ConvExtents d = ConvExtents.forward(op, x, w, y, g);
        if (ys.intSize() > 0) {
            DirectConvolution.forward(pool, d, xs.buffer(), weights(ws), ys.buffer());
        }
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor ws = storage.tensor(w, op, "w");
        CpuTensor dxs = storage.tensor(dx, op, "dx");
        ConvExtents d = ConvExtents.backwardData(op, dy, w, dx, g);
        if (dys.intSize() > 0 && dxs.intSize() > 0) {
            float[] flipped = pool.scratch(0).floats(Scratch.WEIGHTS_T, ws.intSize());
            DirectConvolution.backwardData(pool, d, dys.buffer(), weights(ws), flipped, dxs.buffer());
        }
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor dws = storage.tensor(dw, op, "dw");
        ConvExtents d = ConvExtents.backwardFilter(op, x, dy, dw, g);
        if (dys.intSize() > 0 && dws.intSize() > 0) {
            DirectConvolution.backwardFilter(pool, d, xs.buffer(), dys.buffer(), dws.buffer());
        }
    }

    /** The weights as a Java array, in the calling worker's weight slot (read-only inside the loop). */
    private float[] weights(CpuTensor w) {
        float[] a = pool.scratch(0).floats(Scratch.WEIGHTS, w.intSize());
        w.buffer().get(0, a, 0, w.intSize());
        return a;
    }
}
