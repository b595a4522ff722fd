package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;

import java.util.ArrayList;
import java.util.List;

/**
 * FaDE's networks and regions in the architecture IR.
 *
 * <p>Each stage starts with an entry shared by its candidates: conv 3x3 (stride 2 on a reducing
 * stage) to the stage's width, BN, ReLU; the image input is the first stage's. A cell then runs
 * its DAG in topological order: the entry feeds every source vertex (unchanged), every DAG edge
 * u -> v is conv 3x3 + BN + ReLU of u's value, a vertex sums its incoming edges, and the cell's
 * output sums its sinks. (FaDE's edges are conv + ReLU; the BN is there because the engine's
 * convolutions have no bias, see {@link NodeOp.Conv}.) In a region, a stage's candidate outputs
 * are summed under row s of the alpha group {@link FadeRegion#ALPHAS} ({@link NodeOp.WeightedSum}:
 * softmax or Gumbel); a single network has no alphas. A classifier (global average pool + linear)
 * reads the last stage.
 */
public final class FadeLowering {
    private final FadeSkeleton skeleton;
    private final ArchitectureBuilder b;

    private FadeLowering(FadeSkeleton skeleton) {
        this.skeleton = skeleton;
        this.b = new ArchitectureBuilder(skeleton.input().channels(), skeleton.input().height(), skeleton.input().width());
    }

    public static Architecture network(FadeNetwork n) {
        FadeLowering l = new FadeLowering(n.skeleton());
        int x = 0;
        for (int s = 0; s < n.skeleton().size(); s++) {
            x = l.cell("stage" + s, n.cells().get(s), l.entry(s, x));
        }
        return l.head(x);
    }

    public static Architecture region(FadeRegion r) {
        FadeLowering l = new FadeLowering(r.skeleton());
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < r.width(); i++) {
            choices.add("cell" + i);
        }
        int group = l.b.alphas(new AlphaGroup(FadeRegion.ALPHAS, r.skeleton().size(), choices, r.mixing()));
        int x = 0;
        for (int s = 0; s < r.skeleton().size(); s++) {
            int entry = l.entry(s, x);
            int[] outs = new int[r.width()];
            List<Integer> rows = new ArrayList<>();
            List<Integer> picks = new ArrayList<>();
            for (int i = 0; i < r.width(); i++) {
                outs[i] = l.cell("stage" + s + ".cell" + i, r.candidates().get(s).get(i), entry);
                rows.add(s);
                picks.add(i);
            }
            x = l.b.add("stage" + s + ".mix", new NodeOp.WeightedSum(group, rows, picks, l.b.shape(entry)), -1, outs);
        }
        return l.head(x);
    }

    private int entry(int s, int x) {
        FadeStage st = skeleton.stage(s);
        String p = "stage" + s + ".entry";
        int a = b.add(p + ".conv", new NodeOp.Conv(st.channels(), ConvGeometry.dense(3, st.reduction() ? 2 : 1, 1)), -1, x);
        a = b.add(p + ".bn", new NodeOp.BatchNorm(), -1, a);
        return b.add(p + ".relu", new NodeOp.Relu(), -1, a);
    }

    /** The cell {@code dag} on {@code entry}; returns the node of its output. */
    private int cell(String p, Dag dag, int entry) {
        int channels = b.shape(entry).channels();
        int[] order = dag.topologicalOrder();
        int[] value = new int[dag.vertices()];
        for (int v : order) {
            int[] preds = dag.predecessors(v);
            if (preds.length == 0) {
                // its own node, so two sources summed at a sink are two inputs, not one read twice
                value[v] = b.add(p + ".v" + v, new NodeOp.Identity(), -1, entry);
                continue;
            }
            int[] terms = new int[preds.length];
            for (int k = 0; k < preds.length; k++) {
                String e = p + ".e" + preds[k] + "_" + v;
                int a = b.add(e + ".conv", new NodeOp.Conv(channels, ConvGeometry.dense(3, 1, 1)), -1, value[preds[k]]);
                a = b.add(e + ".bn", new NodeOp.BatchNorm(), -1, a);
                terms[k] = b.add(e + ".relu", new NodeOp.Relu(), -1, a);
            }
            value[v] = terms.length == 1 ? terms[0] : b.add(p + ".v" + v, new NodeOp.Sum(), -1, terms);
        }
        int[] sinks = dag.sinks();
        int[] outs = new int[sinks.length];
        for (int k = 0; k < sinks.length; k++) {
            outs[k] = value[sinks[k]];
        }
        return outs.length == 1 ? outs[0] : b.add(p + ".out", new NodeOp.Sum(), -1, outs);
    }

    private Architecture head(int x) {
        b.head(b.add("head", new NodeOp.Classifier(skeleton.input().classes()), -1, x), 1.0);
        return b.build();
    }
}
