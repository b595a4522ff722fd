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

    /** The buffers of a layer that reads {@code inputs} and writes {@code out}: values and gradients. */
    static int[] buffersOf(Activation out, java.util.List<Activation> inputs) {
        int[] ids = new int[2 + 2 * inputs.size()];
        ids[0] = out.value();
        ids[1] = out.grad();
        for (int j = 0; j < inputs.size(); j++) {
            ids[2 + 2 * j] = inputs.get(j).value();
            ids[3 + 2 * j] = inputs.get(j).grad();
        }
        return ids;
    }

    /** Multiply-accumulate operations of the forward pass for the whole batch. */
    long forwardMacs() {
        return 0;
    }
}
