package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.sameSize;

import java.util.List;
import org.spidernet.backend.SgdOps;
import org.spidernet.backend.Tensor;

/** SGD with momentum and weight decay on the {@link CpuBackend}, one streamed pass ({@link StreamKernels}). */
final class Sgd implements SgdOps {
    private final Storage storage;
    private final WorkerPool pool;

    Sgd(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        CpuTensor ps = storage.tensor(param, op, "param");
        CpuTensor gs = storage.tensor(grad, op, "grad");
        CpuTensor vs = storage.tensor(velocity, op, "velocity");
        sameSize(op, "param", param.shape(), "grad", grad.shape());
        sameSize(op, "param", param.shape(), "velocity", velocity.shape());
        StreamKernels.sgdMomentum(pool, ps.buffer(), gs.buffer(), vs.buffer(), ps.intSize(), lr, momentum,
                weightDecay);
    }

    /** The per-tensor loop of {@link SgdOps#perTensor}, with the rate read from this backend's storage. */
    @Override
    public void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                               double momentum, double weightDecay) {
        SgdOps.perTensor(this, r -> storage.download(r)[0], params, grads, velocities, rate, momentum, weightDecay);
    }
}
