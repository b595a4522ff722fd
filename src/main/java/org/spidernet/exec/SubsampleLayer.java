package org.spidernet.exec;

/**
 * Strided subsampling x[:, :, o::s, o::s]: identity on a stride-2 edge, the dense-input resize,
 * and factorized reduce's shifted path (offset 1).
 */
final class SubsampleLayer extends Layer {
    private final Activation x;
    private final Activation y;
    private final int stride;
    private final int offset;

    SubsampleLayer(Activation x, Activation y, int stride, int offset, int gate) {
        super(gate);
        this.x = x;
        this.y = y;
        this.stride = stride;
        this.offset = offset;
    }

    @Override
    void forward(RunContext c) {
        c.backend.subsample(c.t(x.value()), c.t(y.value()), stride, offset);
    }

    @Override
    void backward(RunContext c) {
        if (c.backwardActive(gate) && x.grad() >= 0) {
            c.backend.subsampleBackward(c.t(y.grad()), c.t(x.grad()), stride, offset);
        }
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), y.value(), y.grad()};
    }
}
