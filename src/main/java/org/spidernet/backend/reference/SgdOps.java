package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.sameSize;

import org.spidernet.backend.Tensor;

/** The SGD-with-momentum step of the {@link ReferenceBackend}, on {@link SgdMomentum}. */
final class SgdOps {
    private final Storage storage;

    SgdOps(Storage storage) {
        this.storage = storage;
    }

    void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum, double weightDecay) {
        String op = "sgdMomentum";
        double[] ps = storage.data(param, op, "param");
        double[] gs = storage.data(grad, op, "grad");
        double[] vs = storage.data(velocity, op, "velocity");
        sameSize(op, "param", param.shape(), "grad", grad.shape());
        sameSize(op, "param", param.shape(), "velocity", velocity.shape());
        SgdMomentum.step(ps, gs, vs, lr, momentum, weightDecay);
    }
}
