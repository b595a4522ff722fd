package org.spidernet.graph;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.Gate;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * SpiderNet's space in the architecture IR: a genome lowered to nodes, gates and heads.
 *
 * <p>The network: stem (3x3 conv + BN to C channels), then every cell k reads the stem and all
 * earlier cells; an input whose channels differ from the cell's is adapted by a 1x1 conv + BN, one
 * at a finer resolution is subsampled to the cell's input level, and every input node ends in a
 * BN. Each inner node is a gated sum over its incoming edges' ops (one gate per op, the op's
 * nodes tagged with its gate) followed by a BN; the cell's output node feeds a classifier head
 * (weight 1 for the last cell, {@link #AUX_WEIGHT} for the others). The ops: identity (a
 * subsample at stride 2), 3x3 max/avg pooling, separable conv (dw-pw-BN-ReLU-dw-pw-BN) and dilated
 * conv (dilation-2 dw-pw-BN), all "same" padded.
 *
 * <p>The node order is the order the plan compiler allocates in, so it is part of the contract:
 * the same genome gives the same buffers, parameters and initial weights as before the IR.
 */
public final class GenomeLowering {
    /** Weight of each auxiliary head's loss; the last cell's head weighs 1. */
    public static final double AUX_WEIGHT = 0.4;

    private final Genome genome;
    private final ArchitectureBuilder b;

    private GenomeLowering(Genome genome, boolean stem) {
        this.genome = genome;
        InputSpec in = genome.input();
        this.b = new ArchitectureBuilder(stem ? in.channels() : genome.channels(), in.height(), in.width());
    }

    /** The genome's network. */
    public static Architecture lower(Genome genome) {
        return lower(genome, true);
    }

    /**
     * @param stem false feeds the input straight into cell 0's first input node, which then must
     *             have {@code channels} channels (linear-region counting on width-1 networks)
     */
    public static Architecture lower(Genome genome, boolean stem) {
        return new GenomeLowering(genome, stem).build(stem);
    }

    private Architecture build(boolean stem) {
        int c = genome.channels();
        int x = 0;
        int stemOut = stem ? b.add("stem.bn", new NodeOp.BatchNorm(), -1,
                b.add("stem.conv", new NodeOp.Conv(c, ConvGeometry.dense(3, 1, 1)), -1, x)) : x;
        List<Integer> sources = new ArrayList<>();
        sources.add(stemOut);
        for (Cell cell : genome.cells()) {
            sources.add(cell(cell, sources));
        }
        int classes = genome.input().classes();
        int last = genome.cells().size() - 1;
        for (int k = 0; k <= last; k++) {
            int head = b.add("cell" + k + ".head", new NodeOp.Classifier(classes), -1, sources.get(k + 1));
            b.head(head, k == last ? 1.0 : AUX_WEIGHT);
        }
        return b.build();
    }

    private int cell(Cell cell, List<Integer> sources) {
        int k = cell.index();
        int ch = genome.cellChannels(k);
        String cp = "cell" + k;
        int[] node = new int[cell.nodes()];
        for (int i = 0; i < cell.inputs(); i++) {
            int a = sources.get(i);
            String np = cp + ".in" + i;
            if (b.shape(a).channels() != ch) {
                a = b.add(np + ".adapt.bn", new NodeOp.BatchNorm(), -1,
                        b.add(np + ".adapt.conv", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), -1, a));
            }
            int stride = 1 << (Genome.inputLevel(k) - Genome.sourceLevel(i));
            if (stride > 1) {
                a = b.add(np + ".resize", new NodeOp.Subsample(stride), -1, a);
            }
            node[i] = b.add(np + ".bn", new NodeOp.BatchNorm(), -1, a);
        }
        Shape out = Shape.map(ch, Genome.extentAt(genome.input().height(), Genome.outputLevel(k)),
                Genome.extentAt(genome.input().width(), Genome.outputLevel(k)));
        for (int n = cell.inputs(); n < cell.nodes(); n++) {
            List<Integer> gates = new ArrayList<>();
            List<Integer> terms = new ArrayList<>();
            for (Edge e : cell.incoming(n)) {
                int stride = cell.strideOf(e);
                for (OpType op : e.ops()) {
                    int gate = b.gate(new Gate(k, e.from(), e.to(), op.jsonName(), op != OpType.IDENTITY));
                    String name = cp + ".e" + e.from() + "-" + e.to() + "." + op.jsonName();
                    terms.add(op(name, op, node[e.from()], stride, gate));
                    gates.add(gate);
                }
            }
            String np = cp + ".node" + n;
            int sum = b.add(np + ".sum", new NodeOp.GatedSum(gates, out), -1,
                    terms.stream().mapToInt(Integer::intValue).toArray());
            node[n] = b.add(np + ".bn", new NodeOp.BatchNorm(), -1, sum);
        }
        return node[cell.outputNode()];
    }

    /** Padding that keeps "same" geometry: ceil((k*d - d + 1 - s) / 2). */
    static int padding(int k, int d, int s) {
        int num = k * d - d + 1 - s;
        return Math.max(0, (num + 1) / 2);
    }

    private int op(String name, OpType op, int x, int stride, int gate) {
        int ch = b.shape(x).channels();
        switch (op) {
            case IDENTITY:
                return b.add(name, stride == 1 ? new NodeOp.Identity() : new NodeOp.Subsample(stride), gate, x);
            case MAX_POOL_3X3:
            case AVG_POOL_3X3:
                return b.add(name, new NodeOp.Pool(op == OpType.MAX_POOL_3X3, new PoolGeometry(3, stride, 1)), gate, x);
            case SEP_CONV_3X3:
            case SEP_CONV_5X5: {
                int k = op.kernel();
                int a = b.add(name + ".dw1", new NodeOp.Conv(ch, new ConvGeometry(k, stride, padding(k, 1, stride), 1, ch)), gate, x);
                a = b.add(name + ".pw1", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), gate, a);
                a = b.add(name + ".bn1", new NodeOp.BatchNorm(), gate, a);
                a = b.add(name + ".relu", new NodeOp.Relu(), gate, a);
                a = b.add(name + ".dw2", new NodeOp.Conv(ch, new ConvGeometry(k, 1, padding(k, 1, 1), 1, ch)), gate, a);
                a = b.add(name + ".pw2", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), gate, a);
                return b.add(name + ".bn2", new NodeOp.BatchNorm(), gate, a);
            }
            case DIL_CONV_3X3:
            case DIL_CONV_5X5: {
                int k = op.kernel();
                int a = b.add(name + ".dw", new NodeOp.Conv(ch, new ConvGeometry(k, stride, padding(k, 2, stride), 2, ch)), gate, x);
                a = b.add(name + ".pw", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), gate, a);
                return b.add(name + ".bn", new NodeOp.BatchNorm(), gate, a);
            }
            default:
                throw new IllegalArgumentException("op " + op + " has no computation");
        }
    }
}
