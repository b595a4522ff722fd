package org.spidernet.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;

/**
 * A bound network's parameter, gradient and momentum tensors as three parallel lists in the plan's
 * parameter order, and its learning-rate tensor: the arguments of {@link Backend#sgdMomentumAll},
 * so a step updates every parameter in one backend call (one kernel launch on CUDA) instead of one
 * call per tensor, at the rate last set with {@link Network#setLearningRate}.
 */
public record ParameterTensors(List<Tensor> values, List<Tensor> grads, List<Tensor> velocities, Tensor rate) {

    public ParameterTensors {
        values = List.copyOf(values);
        grads = List.copyOf(grads);
        velocities = List.copyOf(velocities);
        Objects.requireNonNull(rate, "rate");
    }

    /** The tensors {@code net} holds now for its plan's parameters, and its {@code sgd.rate}. */
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
        return new ParameterTensors(values, grads, velocities, net.learningRate());
    }

    /**
     * One SGD momentum step (PyTorch's convention, see {@link Backend#sgdMomentum}) over every
     * parameter, at the rate in {@link #rate()}: a backend op only, so it can be captured with the step.
     */
    public void step(Backend backend, double momentum, double weightDecay) {
        backend.sgdMomentumAll(values, grads, velocities, rate, momentum, weightDecay);
    }
}
