package org.spidernet.exec;

import org.spidernet.backend.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A node's sum of mixed ops, {@code out = sum_j m_j * x_j}, where m_j is the mixing weight of
 * input j's alpha entry this step (softmax of its row, or the Gumbel path's hard one-hot), and
 * its backward: {@code dx_j += m_j * dOut} and {@code dL/dm_j = <dOut, x_j>} summed into the
 * plan's alpha gradients (the host turns those into dL/dalpha through the softmax, see
 * {@link Network#alphaGradients}).
 *
 * <p>The weights reach the backend as rows of the plan's {@code alphas.mixing} tensor (each entry
 * repeated over the batch), uploaded before the step like the drop-path masks, so the ops take
 * no per-step scalars and a step stays capturable. The weights' own gradients use the same fused
 * gated-sum ops with a tensor of ones as factors, because dL/dm must not carry m.
 */
final class WeightedSumLayer extends Layer {
    private final Activation out;
    private final List<Activation> xs;
    /** Flat alpha index of each input: the row of the mixing tensors and the gradient's element. */
    private final int[] entries;
    /** Every op's scalar factor: 1, the weights themselves being in the factor tensors. */
    private final double[] unitScales;
    /** The weights' gradients are formed without touching the inputs' gradients (null for each). */
    private final List<Tensor> noInputGradients;

    WeightedSumLayer(Activation out, List<Activation> xs, int[] entries) {
        super(-1);
        this.out = out;
        this.xs = List.copyOf(xs);
        this.entries = entries.clone();
        this.unitScales = new double[xs.size()];
        Arrays.fill(unitScales, 1.0);
        this.noInputGradients = new ArrayList<>(Collections.nCopies(xs.size(), (Tensor) null));
    }

    @Override
    void forward(RunContext c) {
        Tensor y = c.t(out.value());
        c.backend.fill(y, 0.0);
        if (!xs.isEmpty()) {
            c.backend.gatedSum(values(c), c.t(c.mixing), entries, unitScales, y);
        }
    }

    @Override
    void backward(RunContext c) {
        if (xs.isEmpty()) {
            return;
        }
        Tensor dy = c.t(out.grad());
        c.backend.gatedSumBackward(dy, values(c), c.t(c.mixingOnes), entries, unitScales, noInputGradients,
                c.t(c.alphaGrads));
        for (int j = 0; j < xs.size(); j++) {
            if (xs.get(j).grad() >= 0) {
                c.backend.scaleAddPerSample(dy, c.t(c.mixing), entries[j], 1.0, c.t(xs.get(j).grad()));
            }
        }
    }

    private List<Tensor> values(RunContext c) {
        List<Tensor> list = new ArrayList<>(xs.size());
        for (Activation a : xs) {
            list.add(c.t(a.value()));
        }
        return list;
    }


    @Override
    int[] buffers() {
        return buffersOf(out, xs);
    }

}
