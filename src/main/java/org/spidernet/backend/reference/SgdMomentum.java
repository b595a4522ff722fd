package org.spidernet.backend.reference;

/** SGD with momentum and L2 weight decay in PyTorch's form (decay folded into the gradient). */
final class SgdMomentum {
    private SgdMomentum() {
    }

    /** g = grad + weightDecay * param; velocity = momentum * velocity + g; param -= lr * velocity. */
    static void step(double[] param, double[] grad, double[] velocity, double lr, double momentum,
                     double weightDecay) {
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] + weightDecay * param[i];
            velocity[i] = momentum * velocity[i] + g;
            param[i] -= lr * velocity[i];
        }
    }
}
