package org.spidernet.search.autospace;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.search.darts.DartsOpLowering;

import java.util.ArrayList;
import java.util.List;

/**
 * AutoSpace's networks and supernets in the architecture IR.
 *
 * <p>Stem: conv 3x3 at the target's stem stride, BN. Each layer starts with an entry where its
 * width or resolution changes (ReLU, conv 3x3 at the layer's stride to its width, BN; nothing
 * otherwise), then runs its cell on the entry: every edge applies its DARTS op (as
 * {@link DartsOpLowering} spells it, at stride 1, without the supernet-only BN after pooling, so
 * a network picked from a supernet is exactly the supernet's path), a node sums its edges, and the
 * cell's output sums its loose ends. In a supernet ({@link AutoMix}) a layer's K cells share the
 * entry and are summed under row l of the alpha group. A classifier (global average pool +
 * linear) reads the last layer.
 */
public final class AutoSpaceLowering {
    private final TargetNetwork target;
    private final ArchitectureBuilder b;

    private AutoSpaceLowering(TargetNetwork target) {
        this.target = target;
        this.b = new ArchitectureBuilder(target.input().channels(), target.input().height(), target.input().width());
    }

    public static Architecture network(AutoNetwork n) {
        AutoSpaceLowering l = new AutoSpaceLowering(n.target());
        int x = l.stem();
        for (int i = 0; i < n.target().size(); i++) {
            x = l.cell("layer" + i, n.cells().get(i), l.entry(i, x));
        }
        return l.head(x);
    }

    public static Architecture mix(AutoMix m) {
        CellChoices c = m.choices();
        AutoSpaceLowering l = new AutoSpaceLowering(c.target());
        List<String> names = new ArrayList<>();
        for (int k = 0; k < c.width(); k++) {
            names.add("cell" + k);
        }
        int group = l.b.alphas(new AlphaGroup(AutoMix.ALPHAS, c.target().size(), names, m.mixing()));
        int x = l.stem();
        for (int i = 0; i < c.target().size(); i++) {
            int entry = l.entry(i, x);
            int[] outs = new int[c.width()];
            List<Integer> rows = new ArrayList<>();
            List<Integer> picks = new ArrayList<>();
            for (int k = 0; k < c.width(); k++) {
                outs[k] = l.cell("layer" + i + ".cell" + k, c.cells().get(i).get(k), entry);
                rows.add(i);
                picks.add(k);
            }
            x = l.b.add("layer" + i + ".mix", new NodeOp.WeightedSum(group, rows, picks, l.b.shape(entry)), -1, outs);
        }
        return l.head(x);
    }

    private int stem() {
        int a = b.add("stem.conv", new NodeOp.Conv(target.stemChannels(), ConvGeometry.dense(3, target.stemStride(), 1)), -1, 0);
        return b.add("stem.bn", new NodeOp.BatchNorm(), -1, a);
    }

    /** The layer's input brought to its width and resolution. */
    private int entry(int i, int x) {
        TargetLayer layer = target.layer(i);
        if (layer.stride() == 1 && b.shape(x).channels() == layer.channels()) {
            return x;
        }
        String p = "layer" + i + ".entry";
        int a = b.add(p + ".relu", new NodeOp.Relu(), -1, x);
        a = b.add(p + ".conv", new NodeOp.Conv(layer.channels(), ConvGeometry.dense(3, layer.stride(), 1)), -1, a);
        return b.add(p + ".bn", new NodeOp.BatchNorm(), -1, a);
    }

    /** {@code cell} on {@code entry}; returns the node of its output. */
    private int cell(String p, AutoCell cell, int entry) {
        int[] value = new int[AutoCell.NODES + 1];
        value[0] = entry;
        for (int v = 1; v <= AutoCell.NODES; v++) {
            List<AutoCell.Edge> in = cell.into(v);
            int[] terms = new int[in.size()];
            for (int k = 0; k < in.size(); k++) {
                AutoCell.Edge e = in.get(k);
                terms[k] = DartsOpLowering.op(b, p + ".e" + e.from() + "_" + v + "." + e.op().jsonName(), e.op(),
                        value[e.from()], 1, false);
            }
            value[v] = terms.length == 1 ? terms[0] : b.add(p + ".n" + v, new NodeOp.Sum(), -1, terms);
        }
        int[] ends = cell.looseEnds();
        int[] outs = new int[ends.length];
        for (int k = 0; k < ends.length; k++) {
            outs[k] = value[ends[k]];
        }
        return outs.length == 1 ? outs[0] : b.add(p + ".out", new NodeOp.Sum(), -1, outs);
    }

    private Architecture head(int x) {
        b.head(b.add("head", new NodeOp.Classifier(target.input().classes()), -1, x), 1.0);
        return b.build();
    }
}
