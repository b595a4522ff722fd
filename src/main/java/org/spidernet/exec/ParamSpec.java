package org.spidernet.exec;

/**
 * A trainable parameter: its value, gradient and momentum buffers, and how to initialise it.
 * {@code gate} is the index of the gate of the op that owns it, or -1 for parameters outside any
 * op (stem, input adapters, node BatchNorms, heads).
 */
public record ParamSpec(String name, int value, int grad, int velocity, ParamInit init, int fanIn, int fanOut,
                        int gate) {
}
