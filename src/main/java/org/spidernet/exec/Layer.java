package org.spidernet.exec;

/**
 * One step of the schedule. Forward overwrites the layer's output; backward accumulates into
 * the gradients of its inputs and parameters. {@code gate} is the op the layer belongs to (-1 for
 * none): layers of a closed op still run forward, because the gate's gradient needs the op's
 * output, but skip backward.
 */
abstract class Layer {
    final int gate;

    Layer(int gate) {
        this.gate = gate;
    }

    abstract void forward(RunContext c);

    abstract void backward(RunContext c);

    /** Buffer ids the layer touches (for lifetimes). */
    abstract int[] buffers();

    /** Multiply-accumulate operations of the forward pass for the whole batch. */
    long forwardMacs() {
        return 0;
    }
}
