package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.sameSize;

import org.spidernet.backend.Tensor;

/** SGD with momentum and weight decay on the {@link CpuBackend}, one streamed pass ({@link StreamKernels}). */
final class Sgd {
    private final Storage storage;
    private final WorkerPool pool;

    Sgd(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    void momentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum, double weightDecay) {
        String op = "sgdMomentum";
        CpuTensor ps = storage.tensor(param, op, "param");
        CpuTensor gs = storage.tensor(grad, op, "grad");
        CpuTensor vs = storage.tensor(velocity, op, "velocity");
        sameSize(op, "param", param.shape(), "grad", grad.shape());
        sameSize(op, "param", param.shape(), "velocity", velocity.shape());
        StreamKernels.sgdMomentum(pool, ps.buffer(), gs.buffer(), vs.buffer(), ps.intSize(), lr, momentum,
                weightDecay);
    }
}
