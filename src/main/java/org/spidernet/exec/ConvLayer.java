package org.spidernet.exec;

import org.spidernet.graph.ir.ConvGeometry;

/** Convolution without bias (dense, 1x1 or depthwise by the geometry's groups). */
final class ConvLayer extends Layer {
    private final Activation x;
    private final Activation y;
    private final ParamSpec w;
    private final ConvGeometry g;
    private final long macs;

    ConvLayer(Activation x, ParamSpec w, Activation y, ConvGeometry g, int gate) {
        super(gate);
        this.x = x;
        this.w = w;
        this.y = y;
        this.g = g;
        long perOut = (long) w.fanIn();
        this.macs = perOut * y.shape()[0] * y.shape()[1] * y.shape()[2] * y.shape()[3];
    }

    @Override
    void forward(RunContext c) {
        c.backend.conv2d(c.t(x.value()), c.t(w.value()), c.t(y.value()), g);
    }

    @Override
    void backward(RunContext c) {
        if (!c.backwardActive(gate)) {
            return;
        }
        c.backend.conv2dBackwardFilter(c.t(x.value()), c.t(y.grad()), c.t(w.grad()), g);
        if (x.grad() >= 0) {
            c.backend.conv2dBackwardData(c.t(y.grad()), c.t(w.value()), c.t(x.grad()), g);
        }
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), y.value(), y.grad(), w.value(), w.grad()};
    }

    @Override
    long forwardMacs() {
        return macs;
    }
}
