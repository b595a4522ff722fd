package org.spidernet.exec;

/**
 * Variants of a compiled network that scoring needs beside plain training.
 *
 * @param inputGradient plan a gradient buffer for the input (NASWOT's input Jacobians)
 * @param bypassStem    feed the input straight into cell 0's first input node, with no stem; the
 *                      input must then have {@code channels} channels (linear-region counting
 *                      on width-1 networks)
 * @param batchNorm     false compiles every BatchNorm as the identity (synflow scores a network
 *                      with BN removed)
 * @param shareMemory   let activations and activation gradients whose lifetimes do not overlap
 *                      share one tensor ({@link MemoryPlan}); the price is that a backward pass
 *                      consumes the forward pass's activations, so each backward needs its own
 *                      forward. Scores that back-propagate several times from one forward pass
 *                      (per-sample Jacobians) compile without it.
 */
public record PlanOptions(boolean inputGradient, boolean bypassStem, boolean batchNorm, boolean shareMemory) {
    public static final PlanOptions TRAINING = new PlanOptions(false, false, true, true);

    public PlanOptions withInputGradient() {
        return new PlanOptions(true, bypassStem, batchNorm, shareMemory);
    }

    public PlanOptions withoutStem() {
        return new PlanOptions(inputGradient, true, batchNorm, shareMemory);
    }

    public PlanOptions withoutBatchNorm() {
        return new PlanOptions(inputGradient, bypassStem, false, shareMemory);
    }

    /** Every buffer gets its own tensor, so one forward pass can be back-propagated many times. */
    public PlanOptions withoutMemorySharing() {
        return new PlanOptions(inputGradient, bypassStem, batchNorm, false);
    }
}
