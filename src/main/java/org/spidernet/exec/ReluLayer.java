package org.spidernet.exec;

final class ReluLayer extends Layer {
    private final Activation x;
    private final Activation y;

    ReluLayer(Activation x, Activation y, int gate) {
        super(gate);
        this.x = x;
        this.y = y;
    }

    @Override
    void forward(RunContext c) {
        c.backend.relu(c.t(x.value()), c.t(y.value()));
    }

    @Override
    void backward(RunContext c) {
        if (c.backwardActive(gate)) {
            c.backend.reluBackward(c.t(x.value()), c.t(y.grad()), c.t(x.grad()));
        }
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), y.value(), y.grad()};
    }
}
