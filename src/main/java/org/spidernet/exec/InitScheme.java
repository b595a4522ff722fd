package org.spidernet.exec;

/** Which fan Kaiming-normal initialisation of convolutions uses (training: fan_in; NTK scoring: fan_out). */
public enum InitScheme {
    FAN_IN, FAN_OUT
}
