package org.spidernet.search.nago;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.random.RandomDag;

import java.util.function.IntFunction;

/**
 * NAGO's networks in the architecture IR. Stem: conv 3x3 to stage 0's width, BN. A cell sums its
 * top-level predecessors' outputs (the stem for an input cell), each brought to the cell's stage
 * first (ReLU, conv 1x1 at stride 2^(stage difference) to its width, BN). Inside a cell, a
 * mid-level node sums its predecessors (the cell's input for an input node) and runs its op graph;
 * in an op graph every node applies its op to the sum of its predecessors (the mid node's input
 * for an input node): a conv node is ReLU, conv k x k, BN (NAGO's conv node), a pool op averages
 * k x k at stride 1. Outputs are summed at every level; the top graph's outputs are brought to the
 * last stage, summed, and read by the classifier. Merges are sums (NAGO's other merges, concat and
 * attention, are not offered).
 */
public final class NagoLowering {
    private final NagoNetwork n;
    private final ArchitectureBuilder b;

    private NagoLowering(NagoNetwork n) {
        this.n = n;
        this.b = new ArchitectureBuilder(n.input().channels(), n.input().height(), n.input().width());
    }

    public static Architecture network(NagoNetwork n) {
        NagoLowering l = new NagoLowering(n);
        int stem = l.b.add("stem.bn", new NodeOp.BatchNorm(), -1,
                l.b.add("stem.conv", new NodeOp.Conv(n.width(0), ConvGeometry.dense(3, 1, 1)), -1, 0));
        RandomDag top = n.top();
        int[] out = new int[top.nodes()];
        for (int v = 0; v < top.nodes(); v++) {
            int stage = n.stages().get(v);
            String p = "cell" + v;
            int[] preds = top.predecessors(v);
            int in;
            if (preds.length == 0) {
                in = l.toStage(p + ".in", stem, 0, stage);
            } else {
                int[] terms = new int[preds.length];
                for (int k = 0; k < preds.length; k++) {
                    terms[k] = l.toStage(p + ".from" + preds[k], out[preds[k]], n.stages().get(preds[k]), stage);
                }
                in = l.sum(p + ".in", terms);
            }
            out[v] = l.cell(p, n.cells().get(v), in);
        }
        int last = n.stages().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int[] ends = top.outputs();
        int[] terms = new int[ends.length];
        for (int k = 0; k < ends.length; k++) {
            terms[k] = l.toStage("out.from" + ends[k], out[ends[k]], n.stages().get(ends[k]), last);
        }
        int x = l.sum("out", terms);
        l.b.head(l.b.add("head", new NodeOp.Classifier(n.input().classes()), -1, x), 1.0);
        return l.b.build();
    }

    /** {@code x} of stage {@code from} at stage {@code to}: itself, or ReLU, conv 1x1 at the stride between them, BN. */
    private int toStage(String p, int x, int from, int to) {
        if (from == to) {
            return x;
        }
        int a = b.add(p + ".relu", new NodeOp.Relu(), -1, x);
        a = b.add(p + ".conv", new NodeOp.Conv(n.width(to), ConvGeometry.dense(1, 1 << (to - from), 0)), -1, a);
        return b.add(p + ".bn", new NodeOp.BatchNorm(), -1, a);
    }

    private int cell(String p, CellGraph c, int in) {
        return graph(p, c.graph(), in, v -> (x, name) -> opGraph(name, c.nodes().get(v), x));
    }

    private int opGraph(String p, OpGraph g, int in) {
        return graph(p, g.graph(), in, v -> (x, name) -> op(name, g.ops().get(v), x));
    }

    /** What a graph's node {@code v} does with the sum of its inputs. */
    private interface NodeBody {
        int apply(int x, String name);
    }

    /** Runs {@code g} on {@code in}: each node's body on the sum of its predecessors (inputs read {@code in}); the outputs summed. */
    private int graph(String p, RandomDag g, int in, IntFunction<NodeBody> body) {
        int[] value = new int[g.nodes()];
        for (int v = 0; v < g.nodes(); v++) {
            int[] preds = g.predecessors(v);
            int x;
            if (preds.length == 0) {
                x = in;
            } else {
                int[] terms = new int[preds.length];
                for (int k = 0; k < preds.length; k++) {
                    terms[k] = value[preds[k]];
                }
                x = sum(p + ".n" + v + ".in", terms);
            }
            value[v] = body.apply(v).apply(x, p + ".n" + v);
        }
        int[] outs = g.outputs();
        int[] terms = new int[outs.length];
        for (int k = 0; k < outs.length; k++) {
            terms[k] = value[outs[k]];
        }
        return sum(p + ".out", terms);
    }

    private int op(String p, NagoOp op, int x) {
        if (!op.conv()) {
            return b.add(p + "." + op.jsonName(), new NodeOp.Pool(false, new PoolGeometry(op.kernel(), 1, op.kernel() / 2)), -1, x);
        }
        int a = b.add(p + ".relu", new NodeOp.Relu(), -1, x);
        a = b.add(p + "." + op.jsonName(), new NodeOp.Conv(b.shape(x).channels(), ConvGeometry.dense(op.kernel(), 1, op.kernel() / 2)),
                -1, a);
        return b.add(p + ".bn", new NodeOp.BatchNorm(), -1, a);
    }

    private int sum(String name, int[] terms) {
        return terms.length == 1 ? terms[0] : b.add(name, new NodeOp.Sum(), -1, terms);
    }
}
