package org.spidernet.train;

import java.util.ArrayList;
import java.util.List;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;

/**
 * A bound network's parameter, gradient and momentum tensors as three parallel lists in the plan's
 * parameter order: the arguments of {@link Backend#sgdMomentumAll}, so a step updates every
 * parameter in one backend call (one kernel launch on CUDA) instead of one call per tensor.
 */
public record ParameterTensors(List<Tensor> values, List<Tensor> grads, List<Tensor> velocities) {

    public ParameterTensors {
        values = List.copyOf(values);
        grads = List.copyOf(grads);
        velocities = List.copyOf(velocities);
    }

    /** The tensors {@code net} holds now for its plan's parameters. */
    public static ParameterTensors of(Network net) {
        List<ParamSpec> specs = net.plan().parameters();
        List<Tensor> values = new ArrayList<>(specs.size());
        List<Tensor> grads = new ArrayList<>(specs.size());
        List<Tensor> velocities = new ArrayList<>(specs.size());
        for (ParamSpec p : specs) {
            values.add(net.tensor(p.value()));
            grads.add(net.tensor(p.grad()));
            velocities.add(net.tensor(p.velocity()));
        }
        return new ParameterTensors(values, grads, velocities);
    }

    /** One SGD momentum step (PyTorch's convention, see {@link Backend#sgdMomentum}) over every parameter. */
    public void step(Backend backend, double lr, double momentum, double weightDecay) {
        backend.sgdMomentumAll(values, grads, velocities, lr, momentum, weightDecay);
    }
}
