package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.sameSize;

import java.util.List;
import org.spidernet.backend.SgdOps;
import org.spidernet.backend.Tensor;

/** The SGD-with-momentum step of the {@link ReferenceBackend}, on {@link SgdMomentum}. */
final class ReferenceSgd implements SgdOps {
    private final Storage storage;

    ReferenceSgd(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        double[] ps = storage.data(param, op, "param");
        double[] gs = storage.data(grad, op, "grad");
        double[] vs = storage.data(velocity, op, "velocity");
        sameSize(op, "param", param.shape(), "grad", grad.shape());
        sameSize(op, "param", param.shape(), "velocity", velocity.shape());
        SgdMomentum.step(ps, gs, vs, lr, momentum, weightDecay);
    }

    /** The per-tensor loop of {@link SgdOps#perTensor}, with the rate read from this backend's storage. */
    @Override
    public void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                               double momentum, double weightDecay) {
        SgdOps.perTensor(this, r -> storage.download(r)[0], params, grads, velocities, rate, momentum, weightDecay);
    }
}
