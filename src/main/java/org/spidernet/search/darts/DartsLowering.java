package org.spidernet.search.darts;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * DARTS networks in the architecture IR: the search supernet, whose every edge mixes all eight
 * ops by its row of architecture weights (one alpha group shared by the normal cells, one by the
 * reduction cells), and the network a {@link Genotype} derives, whose inner nodes add their two
 * chosen ops.
 *
 * <p>Per cell: input 0 is the cell two back (the stem for the first two cells), input 1 the
 * previous cell; each is brought to the cell's C channels by ReLU-conv1x1-BN, or, where the
 * previous cell halved the resolution, input 0 by a factorized reduce. Ops on edges leaving the
 * inputs of a reduction cell have stride 2. The ops, as in the public code: max/avg 3x3 pooling
 * (each followed by a BN in the supernet only), skip (identity; factorized reduce at stride 2),
 * separable conv (ReLU-dw-pw-BN twice, stride on the first) and dilated conv (ReLU-dw
 * dilation 2-pw-BN).
 *
 * <p>Where the engine differs, for reasons in docs/search.md: average pooling counts padded
 * zeros (the engine's one pooling convention), BatchNorms always learn their scale and shift, and
 * factorized reduce's shifted path pads an odd map instead of failing.
 */
public final class DartsLowering {
    /** Alpha groups of the supernet: normal cells read group 0, reduction cells group 1. */
    public static final String NORMAL = "normal";
    public static final String REDUCE = "reduce";

    private final DartsSkeleton skeleton;
    private final ArchitectureBuilder b;
    /** The supernet's alpha groups, or null when lowering a genotype. */
    private final int[] groups;
    private final Genotype genotype;

    private DartsLowering(DartsSkeleton skeleton, AlphaGroup.Mixing mixing, Genotype genotype) {
        this.skeleton = skeleton;
        this.b = new ArchitectureBuilder(skeleton.input().channels(), skeleton.input().height(), skeleton.input().width());
        this.genotype = genotype;
        if (mixing != null) {
            groups = new int[]{
                    b.alphas(new AlphaGroup(NORMAL, DartsSkeleton.EDGES, DartsOp.names(), mixing)),
                    b.alphas(new AlphaGroup(REDUCE, DartsSkeleton.EDGES, DartsOp.names(), mixing))};
        } else {
            groups = null;
        }
    }

    /** The search supernet; {@code mixing} chooses DARTS's softmax or a Gumbel single path (GDAS). */
    public static Architecture supernet(DartsSkeleton skeleton, AlphaGroup.Mixing mixing) {
        return new DartsLowering(skeleton, mixing, null).network();
    }

    /** The network a genotype derives, to be trained from scratch. */
    public static Architecture derived(DartsSkeleton skeleton, Genotype genotype) {
        return new DartsLowering(skeleton, null, genotype).network();
    }

    private Architecture network() {
        int c = skeleton.channels();
        int stem = b.add("stem.bn", new NodeOp.BatchNorm(), -1,
                b.add("stem.conv", new NodeOp.Conv(DartsSkeleton.STEM_MULTIPLIER * c, ConvGeometry.dense(3, 1, 1)), -1, 0));
        int s0 = stem;
        int s1 = stem;
        boolean reductionBefore = false;
        int channels = c;
        for (int k = 0; k < skeleton.layers(); k++) {
            boolean reduction = skeleton.isReduction(k);
            if (reduction) {
                channels *= 2;
            }
            int out = cell(k, s0, s1, channels, reduction, reductionBefore);
            s0 = s1;
            s1 = out;
            reductionBefore = reduction;
        }
        b.head(b.add("head", new NodeOp.Classifier(skeleton.input().classes()), -1, s1), 1.0);
        return b.build();
    }

    private int cell(int k, int s0, int s1, int channels, boolean reduction, boolean reductionBefore) {
        String cp = "cell" + k;
        List<Integer> states = new ArrayList<>();
        states.add(reductionBefore ? DartsOpLowering.factorizedReduce(b, cp + ".pre0", s0, channels) : DartsOpLowering.reluConvBn(b, cp + ".pre0", s0, channels));
        states.add(DartsOpLowering.reluConvBn(b, cp + ".pre1", s1, channels));
        for (int node = 0; node < DartsSkeleton.NODES; node++) {
            String np = cp + ".node" + node;
            Shape shape = b.shape(states.get(1));
            if (reduction) {
                shape = Shape.map(channels, (shape.height() + 1) / 2, (shape.width() + 1) / 2);
            }
            states.add(genotype == null ? mixedNode(np, states, node, reduction, shape) : derivedNode(np, states, node, reduction));
        }
        int[] inner = states.subList(2, states.size()).stream().mapToInt(Integer::intValue).toArray();
        return b.add(cp + ".concat", new NodeOp.Concat(), -1, inner);
    }

    /** Every edge into the node with all seven ops, summed under their alpha weights in one node. */
    private int mixedNode(String np, List<Integer> states, int node, boolean reduction, Shape shape) {
        List<Integer> inputs = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        List<Integer> choices = new ArrayList<>();
        for (int from = 0; from < node + 2; from++) {
            int stride = reduction && from < 2 ? 2 : 1;
            for (DartsOp op : DartsOp.values()) {
                if (op == DartsOp.NONE) {
                    continue;
                }
                inputs.add(DartsOpLowering.op(b, np + ".e" + from + "." + op.jsonName(), op, states.get(from), stride, true));
                rows.add(DartsSkeleton.edgeRow(node, from));
                choices.add(op.ordinal());
            }
        }
        int group = groups[reduction ? 1 : 0];
        return b.add(np + ".mix", new NodeOp.WeightedSum(group, rows, choices, shape), -1,
                inputs.stream().mapToInt(Integer::intValue).toArray());
    }

    private int derivedNode(String np, List<Integer> states, int node, boolean reduction) {
        int[] terms = new int[2];
        for (int t = 0; t < 2; t++) {
            Genotype.Edge e = genotype.cell(reduction).get(2 * node + t);
            int stride = reduction && e.from() < 2 ? 2 : 1;
            terms[t] = DartsOpLowering.op(b, np + ".e" + e.from() + "." + e.op().jsonName() + (t == 1 ? ".b" : ""), e.op(),
                    states.get(e.from()), stride, false);
        }
        return b.add(np + ".sum", new NodeOp.Sum(), -1, terms);
    }
}
