package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.sameSize;
import static org.spidernet.backend.cuda.KernelLimits.toFloat;

import java.util.List;
import org.spidernet.backend.SgdMomentumTriples;
import org.spidernet.backend.SgdOps;
import org.spidernet.backend.Tensor;

/**
 * SGD with momentum and L2 weight decay, per tensor or for every parameter of a network in one
 * launch. The scalars are float32 on the device, so values beyond its range are argument errors.
 */
final class SgdMomentum implements SgdOps {
    private final DeviceStream stream;
    private final TensorStorage storage;
    private final SgdMomentumTable table;

    SgdMomentum(DeviceStream stream, TensorStorage storage, SgdMomentumTable table) {
        this.stream = stream;
        this.storage = storage;
        this.table = table;
    }

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        CudaTensor ps = storage.tensor(param, op, "param");
        CudaTensor gs = storage.tensor(grad, op, "grad");
        CudaTensor vs = storage.tensor(velocity, op, "velocity");
        sameSize(op, "param", ps.shape(), "grad", gs.shape());
        sameSize(op, "param", ps.shape(), "velocity", vs.shape());
        stream.check(CudaNative.sgdMomentum(stream.handle(), ps.pointer(), gs.pointer(), vs.pointer(), ps.size(),
                toFloat(op, "lr", lr), toFloat(op, "momentum", momentum), toFloat(op, "weightDecay", weightDecay)),
                "snc_sgd_momentum");
    }

    /**
     * One launch for every triple (see {@link SgdMomentumTable} for the device table of addresses,
     * uploaded only when the tensors change). The kernel reads the rate from {@code rate}'s device
     * memory, so a captured step's graph holds its address, not its value.
     */
    @Override
    public void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                               double momentum, double weightDecay) {
        String op = "sgdMomentumAll";
        int n = SgdMomentumTriples.check(op, params, grads, velocities, rate);
        float momentum32 = toFloat(op, "momentum", momentum);
        float decay32 = toFloat(op, "weightDecay", weightDecay);
        stream.ensureOpen();
        CudaTensor r = storage.tensor(rate, op, "rate");
        long[] addressesAndCounts = new long[4 * n];
        for (int i = 0; i < n; i++) {
            CudaTensor p = storage.tensor(params.get(i), op, "params[" + i + "]");
            CudaTensor g = storage.tensor(grads.get(i), op, "grads[" + i + "]");
            CudaTensor v = storage.tensor(velocities.get(i), op, "velocities[" + i + "]");
            addressesAndCounts[i] = p.pointer();
            addressesAndCounts[n + i] = g.pointer();
            addressesAndCounts[2 * n + i] = v.pointer();
            addressesAndCounts[3 * n + i] = p.size();
        }
        if (n == 0) {
            return;
        }
        if (stream.capturing() && !table.holds(addressesAndCounts)) {
            throw new IllegalStateException(op + ": a new SGD table would be copied to the device inside a captured "
                    + "step; run the step once before recording it");
        }
        long pointer = table.pointer(addressesAndCounts, n);
        stream.check(CudaNative.sgdMomentumAll(stream.handle(), pointer, n, table.chunks(), r.pointer(), momentum32,
                decay32), "snc_sgd_momentum_all");
    }
}
