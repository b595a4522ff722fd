package org.spidernet.exec;

import org.spidernet.backend.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Inputs stacked along channels ({@code y[:, block j] = x_j}); backward gives each input its block of dOut. */
final class ConcatLayer extends Layer {
    private final Activation out;
    private final List<Activation> xs;

    ConcatLayer(Activation out, List<Activation> xs) {
        super(-1);
        this.out = out;
        this.xs = List.copyOf(xs);
    }

    @Override
    void forward(RunContext c) {
        List<Tensor> in = new ArrayList<>(xs.size());
        for (Activation x : xs) {
            in.add(c.t(x.value()));
        }
        c.backend.concatChannels(in, c.t(out.value()));
    }

    @Override
    void backward(RunContext c) {
        int[] channels = new int[xs.size()];
        List<Tensor> dxs = new ArrayList<>(xs.size());
        for (int j = 0; j < xs.size(); j++) {
            channels[j] = xs.get(j).shape()[1];
            dxs.add(c.t(xs.get(j).grad()));
        }
        c.backend.concatChannelsBackward(c.t(out.grad()), channels, dxs);
    }

    @Override
    int[] buffers() {
        return buffersOf(out, xs);
    }

}
