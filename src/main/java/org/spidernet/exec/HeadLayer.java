package org.spidernet.exec;

/** A cell's head: global average pool, then a linear layer with bias, giving the logits. */
final class HeadLayer extends Layer {
    private final Activation x;
    private final Activation pooled;
    private final Activation logits;
    private final ParamSpec w;
    private final ParamSpec b;

    HeadLayer(Activation x, Activation pooled, Activation logits, ParamSpec w, ParamSpec b) {
        super(-1);
        this.x = x;
        this.pooled = pooled;
        this.logits = logits;
        this.w = w;
        this.b = b;
    }

    @Override
    void forward(RunContext c) {
        c.backend.globalAvgPool(c.t(x.value()), c.t(pooled.value()));
        c.backend.linear(c.t(pooled.value()), c.t(w.value()), c.t(b.value()), c.t(logits.value()));
    }

    @Override
    void backward(RunContext c) {
        c.backend.linearBackward(c.t(pooled.value()), c.t(w.value()), c.t(logits.grad()), c.t(pooled.grad()),
                c.t(w.grad()), c.t(b.grad()));
        c.backend.globalAvgPoolBackward(c.t(pooled.grad()), c.t(x.grad()));
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), pooled.value(), pooled.grad(), logits.value(), logits.grad(),
                w.value(), w.grad(), b.value(), b.grad()};
    }

    @Override
    long forwardMacs() {
        return (long) logits.shape()[0] * logits.shape()[1] * pooled.shape()[1];
    }
}
