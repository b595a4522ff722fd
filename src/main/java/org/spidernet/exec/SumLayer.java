package org.spidernet.exec;

import org.spidernet.backend.Tensor;

import java.util.List;

/** A plain sum of inputs, {@code out = sum_j x_j}; backward gives every input {@code dOut}. */
final class SumLayer extends Layer {
    private final Activation out;
    private final List<Activation> xs;

    SumLayer(Activation out, List<Activation> xs) {
        super(-1);
        this.out = out;
        this.xs = List.copyOf(xs);
    }

    @Override
    void forward(RunContext c) {
        Tensor y = c.t(out.value());
        c.backend.copy(c.t(xs.get(0).value()), y);
        for (int j = 1; j < xs.size(); j++) {
            c.backend.axpy(1.0, c.t(xs.get(j).value()), y);
        }
    }

    @Override
    void backward(RunContext c) {
        for (Activation x : xs) {
            if (x.grad() >= 0) {
                c.backend.axpy(1.0, c.t(out.grad()), c.t(x.grad()));
            }
        }
    }

    @Override
    int[] buffers() {
        return buffersOf(out, xs);
    }

}
