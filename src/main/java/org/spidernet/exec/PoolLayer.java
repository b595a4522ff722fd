package org.spidernet.exec;

import org.spidernet.graph.ir.PoolGeometry;

/** 3x3 max or average pooling (average always divides by 9). */
final class PoolLayer extends Layer {
    private final Activation x;
    private final Activation y;
    private final PoolGeometry g;
    private final boolean max;

    PoolLayer(Activation x, Activation y, PoolGeometry g, boolean max, int gate) {
        super(gate);
        this.x = x;
        this.y = y;
        this.g = g;
        this.max = max;
    }

    @Override
    void forward(RunContext c) {
        if (max) {
            c.backend.maxPool(c.t(x.value()), c.t(y.value()), g);
        } else {
            c.backend.avgPool(c.t(x.value()), c.t(y.value()), g);
        }
    }

    @Override
    void backward(RunContext c) {
        if (!c.backwardActive(gate) || x.grad() < 0) {
            return;
        }
        if (max) {
            c.backend.maxPoolBackward(c.t(x.value()), c.t(y.grad()), c.t(x.grad()), g);
        } else {
            c.backend.avgPoolBackward(c.t(y.grad()), c.t(x.grad()), g);
        }
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), y.value(), y.grad()};
    }
}
