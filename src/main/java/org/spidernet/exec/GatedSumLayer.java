package org.spidernet.exec;

import java.util.List;

/**
 * A node's sum over its incoming gated ops: {@code out = sum_i g_i * path_i[n] * op_i(x)}, where
 * g_i is the hard gate [w_i > 0] and path_i[n] the drop-path factor. Backward gives each open op
 * {@code g_i * path_i[n] * dOut} and every gate, open or closed, its straight-through gradient
 * {@code dL/dw_i = sum_n path_i[n] * <dOut[n], op_i(x)[n]>}.
 */
final class GatedSumLayer extends Layer {
    record Term(Activation op, int gate) {
    }

    private final Activation out;
    private final List<Term> terms;

    GatedSumLayer(Activation out, List<Term> terms) {
        super(-1);
        this.out = out;
        this.terms = List.copyOf(terms);
    }

    // an op runs here only while its gate is open (g_i = 1), so its factor is its path factor,
    // read from the uploaded gates.path row times the gate's path scale
    @Override
    void forward(RunContext c) {
        c.backend.fill(c.t(out.value()), 0.0);
        for (Term t : terms) {
            int g = t.gate();
            if (c.gateOpen[g] && !c.pruned[g]) {
                c.backend.scaleAddPerSample(c.t(t.op().value()), c.t(c.gatePath), g, c.pathScale[g], c.t(out.value()));
            }
        }
    }

    @Override
    void backward(RunContext c) {
        for (Term t : terms) {
            int g = t.gate();
            if (c.pruned[g]) {
                continue;
            }
            c.backend.gateGradient(c.t(out.grad()), c.t(t.op().value()), c.t(c.gatePath), c.pathScale[g],
                    c.t(c.gateGrads), g);
            if (c.gateOpen[g] && t.op().grad() >= 0) {
                c.backend.scaleAddPerSample(c.t(out.grad()), c.t(c.gatePath), g, c.pathScale[g], c.t(t.op().grad()));
            }
        }
    }

    @Override
    int[] buffers() {
        int[] ids = new int[2 + 2 * terms.size()];
        ids[0] = out.value();
        ids[1] = out.grad();
        for (int i = 0; i < terms.size(); i++) {
            ids[2 + 2 * i] = terms.get(i).op().value();
            ids[3 + 2 * i] = terms.get(i).op().grad();
        }
        return ids;
    }
}
