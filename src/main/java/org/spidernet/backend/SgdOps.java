package org.spidernet.backend;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The optimiser of a {@link Backend}: SGD with momentum, per tensor or for every parameter at once.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface SgdOps {

    /**
     * SGD with momentum and L2 weight decay, PyTorch's convention:
     * g = grad + weightDecay * param; velocity = momentum * velocity + g; param -= lr * velocity.
     */
    void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum, double weightDecay);

    /**
     * {@link #sgdMomentum} for every triple ({@code params[i]}, {@code grads[i]}, {@code velocities[i]})
     * at once, with the same momentum and weight decay and the learning rate held in {@code rate}
     * (one element, read when the update runs): the result is the per-tensor update in list order
     * with {@code lr} = the rate's value. One call per training step, so a device backend can
     * update every parameter in one launch instead of one per tensor; and because the rate is
     * step data in a tensor rather than an argument, a step captured once
     * ({@link Backend#capture}) replays with whatever rate was uploaded before it.
     *
     * <p>The lists must have the same length and no null entries; the three tensors of triple i
     * must have the same size (an {@link IllegalArgumentException} names the index and the
     * shapes), a tensor written (a param or velocity) must not appear in any other triple, and
     * {@code rate} must have one element and not be written by any triple. Sizes and sharing are
     * checked before anything is updated. Empty lists are a no-op. The host backends check, read the
     * rate and loop over {@link #sgdMomentum} ({@link #perTensor}), so it is bit-identical to that
     * loop with the rate as {@code lr}; a device backend reads the rate on the device.
     */
    void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                        double momentum, double weightDecay);

    /**
     * The host backends' {@link #sgdMomentumAll}: checks the triples ({@link SgdMomentumTriples}),
     * reads the rate with {@code readRate} (the backend's {@link Backend#download} of its one
     * element: a host backend's value, float64 or a float32 widened exactly), then loops over
     * {@code sgd}'s {@link #sgdMomentum} in list order with that rate as {@code lr}.
     */
    static void perTensor(SgdOps sgd, ToDoubleFunction<Tensor> readRate, List<Tensor> params, List<Tensor> grads,
                          List<Tensor> velocities, Tensor rate, double momentum, double weightDecay) {
        int n = SgdMomentumTriples.check("sgdMomentumAll", params, grads, velocities, rate);
        if (n == 0) {
            return;
        }
        double lr = readRate.applyAsDouble(rate);
        for (int i = 0; i < n; i++) {
            sgd.sgdMomentum(params.get(i), grads.get(i), velocities.get(i), lr, momentum, weightDecay);
        }
    }
}
