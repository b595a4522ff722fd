package org.spidernet.deploy.onnx;

import org.spidernet.exec.ExecutionPlan;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.Gate;
import org.spidernet.graph.ir.Node;
import org.spidernet.graph.ir.NodeOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What each gated or weighted sum of an architecture adds in evaluation mode, with the gates and
 * architecture weights folded in: the inputs whose factor is not zero, each with its factor.
 * This is the engine's eval-mode semantics ({@code GatedSumLayer}, {@code WeightedSumLayer},
 * {@code Network.mix}): an open gate ({@code w > 0}, not pruned) adds its op unscaled (drop-path
 * is off in evaluation), a closed one adds nothing; a SOFTMAX row weighs its ops by
 * softmax(alpha); a GUMBEL row keeps only its strongest op (the first of equal maxima), factor 1.
 * A term whose factor is exactly 0 is left out, so its op's nodes need not be exported.
 */
final class MergeTerms {

    /** Input {@code input} (a node id) of a sum, multiplied by {@code factor}. */
    record Term(int input, double factor) {
    }

    private MergeTerms() {
    }

    /**
     * Per node id, the terms of its sum in evaluation; null for nodes that are not gated or
     * weighted sums (they read all their inputs).
     */
    static List<List<Term>> of(Architecture a, ExportWeights weights, Set<Integer> prunedGates) {
        boolean[] open = new boolean[a.gates().size()];
        for (int g = 0; g < open.length; g++) {
            Gate gate = a.gates().get(g);
            open[g] = !prunedGates.contains(g) && weights.scalar(ExecutionPlan.GATE_PREFIX + gate.label()) > 0;
        }
        double[][] factors = new double[a.alphas().size()][];
        for (int g = 0; g < factors.length; g++) {
            factors[g] = evaluationFactors(a.alphas().get(g), weights);
        }
        List<List<Term>> terms = new ArrayList<>();
        for (Node n : a.nodes()) {
            if (n.op() instanceof NodeOp.GatedSum s) {
                List<Term> t = new ArrayList<>();
                for (int j = 0; j < s.gates().size(); j++) {
                    if (open[s.gates().get(j)]) {
                        t.add(new Term(n.inputs().get(j), 1.0));
                    }
                }
                terms.add(List.copyOf(t));
            } else if (n.op() instanceof NodeOp.WeightedSum s) {
                int width = a.alphas().get(s.group()).width();
                List<Term> t = new ArrayList<>();
                for (int j = 0; j < s.rows().size(); j++) {
                    double f = factors[s.group()][s.rows().get(j) * width + s.choices().get(j)];
                    if (f != 0.0) {
                        t.add(new Term(n.inputs().get(j), f));
                    }
                }
                terms.add(List.copyOf(t));
            } else {
                terms.add(null);
            }
        }
        return terms;
    }

    /** The group's mixing weights in evaluation, flat rows x choices. */
    private static double[] evaluationFactors(AlphaGroup group, ExportWeights weights) {
        String entry = ExecutionPlan.ALPHA_PREFIX + group.name();
        double[] alpha = weights.values(entry, group.size());
        int w = group.width();
        double[] m = new double[alpha.length];
        for (int r = 0; r < group.rows(); r++) {
            int base = r * w;
            if (group.mixing() == AlphaGroup.Mixing.SOFTMAX) {
                System.arraycopy(AlphaGroup.softmax(alpha, base, w), 0, m, base, w);
            } else {
                // the Gumbel path without noise: argmax of alpha / tau, which no tau > 0 changes
                int best = 0;
                for (int i = 1; i < w; i++) {
                    best = alpha[base + i] > alpha[base + best] ? i : best;
                }
                m[base + best] = 1.0;
            }
        }
        return m;
    }
}
