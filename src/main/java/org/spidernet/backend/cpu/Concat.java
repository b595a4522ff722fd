package org.spidernet.backend.cpu;

import java.util.List;
import org.spidernet.backend.ConcatOps;
import org.spidernet.backend.ConcatShapes;
import org.spidernet.backend.Tensor;

/** Channel concatenation of the {@link CpuBackend}, on {@link ConcatKernels}: one input's block at a time. */
final class Concat implements ConcatOps {
    private final Storage storage;
    private final WorkerPool pool;

    Concat(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        ConcatShapes e = ConcatShapes.forward(op, xs, y);
        CpuTensor ys = storage.tensor(y, op, "y");
        CpuTensor[] parts = new CpuTensor[e.parts()];
        for (int j = 0; j < parts.length; j++) {
            parts[j] = storage.tensor(xs.get(j), op, "xs[" + j + "]");
        }
        for (int j = 0; j < parts.length; j++) {
            ConcatKernels.forwardBlock(pool, e, j, parts[j].buffer(), ys.buffer());
        }
    }

    @Override
    public void concatChannelsBackward(Tensor dy, int[] channels, List<Tensor> dxs) {
        String op = "concatChannelsBackward";
        ConcatShapes e = ConcatShapes.backward(op, dy, channels, dxs);
        CpuTensor dys = storage.tensor(dy, op, "dy");
        CpuTensor[] grads = new CpuTensor[e.parts()];
        for (int j = 0; j < grads.length; j++) {
            grads[j] = dxs.get(j) == null ? null : storage.tensor(dxs.get(j), op, "dxs[" + j + "]");
        }
        for (int j = 0; j < grads.length; j++) {
            if (grads[j] != null) {
                ConcatKernels.backwardBlock(pool, e, j, dys.buffer(), grads[j].buffer());
            }
        }
    }
}
