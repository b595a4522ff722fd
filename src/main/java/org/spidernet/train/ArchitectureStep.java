package org.spidernet.train;

/**
 * Work the trainer runs before each weight step of an epoch: a bilevel search's update of the
 * architecture weights on a validation batch ({@link BilevelStep}). It may use the network's
 * input and gradients freely: the weight step that follows writes its own batch and zeroes every
 * gradient before its backward pass.
 */
@FunctionalInterface
public interface ArchitectureStep {
    /** No architecture update: plain training. */
    ArchitectureStep NONE = (epoch, step, rate) -> { };

    /** Runs before step {@code step} of {@code epoch}, whose weight update will use learning rate {@code rate}. */
    void before(int epoch, int step, double rate);
}
