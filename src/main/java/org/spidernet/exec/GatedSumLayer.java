package org.spidernet.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.spidernet.backend.Tensor;

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
    // read from the uploaded gates.path row times the gate's path scale; all open ops go to the
    // backend in one call (one fused pass over the node on a device backend)
    @Override
    void forward(RunContext c) {
        Tensor y = c.t(out.value());
        c.backend.fill(y, 0.0);
        List<Tensor> xs = new ArrayList<>(terms.size());
        int[] rows = new int[terms.size()];
        double[] scales = new double[terms.size()];
        for (Term t : terms) {
            int g = t.gate();
            if (c.gateOpen[g] && !c.pruned[g]) {
                rows[xs.size()] = g;
                scales[xs.size()] = c.pathScale[g];
                xs.add(c.t(t.op().value()));
            }
        }
        if (!xs.isEmpty()) {
            c.backend.gatedSum(xs, c.t(c.gatePath), Arrays.copyOf(rows, xs.size()), Arrays.copyOf(scales, xs.size()), y);
        }
    }

    // every op not pruned gets its gate's gradient; an open op with a gradient buffer also gets its
    // input gradient (a closed op's output was multiplied by 0)
    @Override
    void backward(RunContext c) {
        List<Tensor> xs = new ArrayList<>(terms.size());
        List<Tensor> dxs = new ArrayList<>(terms.size());
        int[] gates = new int[terms.size()];
        double[] scales = new double[terms.size()];
        for (Term t : terms) {
            int g = t.gate();
            if (c.pruned[g]) {
                continue;
            }
            gates[xs.size()] = g;
            scales[xs.size()] = c.pathScale[g];
            xs.add(c.t(t.op().value()));
            dxs.add(c.gateOpen[g] && t.op().grad() >= 0 ? c.t(t.op().grad()) : null);
        }
        if (!xs.isEmpty()) {
            c.backend.gatedSumBackward(c.t(out.grad()), xs, c.t(c.gatePath), Arrays.copyOf(gates, xs.size()),
                    Arrays.copyOf(scales, xs.size()), dxs, c.t(c.gateGrads));
        }
    }

    @Override
    int[] buffers() {
        List<Activation> ops = new ArrayList<>(terms.size());
        for (Term t : terms) {
            ops.add(t.op());
        }
        return buffersOf(out, ops);
    }

}
