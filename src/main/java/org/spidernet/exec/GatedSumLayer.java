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
    private final double[] scale;

    GatedSumLayer(Activation out, List<Term> terms, int batch) {
        super(-1);
        this.out = out;
        this.terms = List.copyOf(terms);
        this.scale = new double[batch];
    }

    private double[] scaleOf(RunContext c, int gate) {
        double open = c.gateOpen[gate] ? 1.0 : 0.0;
        double[] f = c.pathFactor[gate];
        for (int n = 0; n < scale.length; n++) {
            scale[n] = open * f[n];
        }
        return scale;
    }

    @Override
    void forward(RunContext c) {
        c.backend.fill(c.t(out.value()), 0.0);
        for (Term t : terms) {
            if (c.gateOpen[t.gate()] && !c.pruned[t.gate()]) {
                c.backend.scaleAddPerSample(c.t(t.op().value()), scaleOf(c, t.gate()), c.t(out.value()));
            }
        }
    }

    @Override
    void backward(RunContext c) {
        for (Term t : terms) {
            if (c.pruned[t.gate()]) {
                continue;
            }
            c.backend.gateGradient(c.t(out.grad()), c.t(t.op().value()), c.pathFactor[t.gate()], c.t(c.gateGrads),
                    t.gate());
            if (c.gateOpen[t.gate()] && t.op().grad() >= 0) {
                c.backend.scaleAddPerSample(c.t(out.grad()), scaleOf(c, t.gate()), c.t(t.op().grad()));
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
