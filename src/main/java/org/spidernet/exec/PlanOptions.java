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
 */
public record PlanOptions(boolean inputGradient, boolean bypassStem, boolean batchNorm) {
    public static final PlanOptions TRAINING = new PlanOptions(false, false, true);

    public PlanOptions withInputGradient() {
        return new PlanOptions(true, bypassStem, batchNorm);
    }

    public PlanOptions withoutStem() {
        return new PlanOptions(inputGradient, true, batchNorm);
    }

    public PlanOptions withoutBatchNorm() {
        return new PlanOptions(inputGradient, bypassStem, false);
    }
}
