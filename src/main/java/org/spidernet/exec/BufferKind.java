package org.spidernet.exec;

/** What a planned buffer holds; the memory plan reports its peak broken down by kind. */
public enum BufferKind {
    /** Trainable weights (conv kernels, BN affine parameters, linear weights and biases). */
    PARAMETER,
    /** Gradients of the parameters. */
    GRADIENT,
    /**
     * The gates' gradients, one per gate, and the alpha mixing weights' gradients, one per alpha,
     * summed on the backend (gates and alphas themselves live on the host).
     */
    GATE_GRADIENT,
    /** SGD momentum buffers, one per parameter. */
    OPTIMIZER_STATE,
    /** BatchNorm running statistics and the batch statistics saved for backward. */
    STATISTICS,
    /** The input minibatch. */
    INPUT,
    /** Forward activations, all kept for the backward pass. */
    ACTIVATION,
    /** Gradients with respect to activations. */
    ACTIVATION_GRADIENT,
    /**
     * A step's host data, uploaded before the step (labels, drop-path masks, the learning rate,
     * alpha mixing weights),
     * and the loss it leaves to be read after it: in tensors, so no op of the step waits for the host.
     */
    STEP_DATA
}
