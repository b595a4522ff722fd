package org.spidernet.exec;

/** Strided subsampling x[:, :, ::s, ::s]: identity on a stride-2 edge, and the dense-input resize. */
final class SubsampleLayer extends Layer {
    private final Activation x;
    private final Activation y;
    private final int stride;

    SubsampleLayer(Activation x, Activation y, int stride, int gate) {
        super(gate);
        this.x = x;
        this.y = y;
        this.stride = stride;
    }

    @Override
    void forward(RunContext c) {
        c.backend.subsample(c.t(x.value()), c.t(y.value()), stride);
    }

    @Override
    void backward(RunContext c) {
        if (c.backwardActive(gate) && x.grad() >= 0) {
            c.backend.subsampleBackward(c.t(y.grad()), c.t(x.grad()), stride);
        }
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), y.value(), y.grad()};
    }
}
