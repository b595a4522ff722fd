package org.spidernet.exec;

/** How a parameter is initialised when a network is (re-)initialised. */
public enum ParamInit {
    /** Kaiming normal: N(0, 2 / fan), fan = fan_in or fan_out by {@link InitScheme}. */
    CONV_KAIMING,
    /** PyTorch's default for linear weights: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    LINEAR_WEIGHT,
    /** PyTorch's default for linear biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    LINEAR_BIAS,
    /** BatchNorm scale: 1. */
    ONES,
    /** BatchNorm shift: 0. */
    ZEROS
}
