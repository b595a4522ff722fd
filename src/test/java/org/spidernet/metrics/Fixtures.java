package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Small genomes, images and networks for metric tests, built from the spec and the exec API directly. */
final class Fixtures {
    /** 1-channel 5x5 images, 3 classes: cell 0 at 5x5, cell 1 at 3x3. */
    static final InputSpec INPUT = new InputSpec(1, 5, 5, 3);
    /** Ops with a gradient that finite differences can see (no ties, no straight-through gate). */
    static final List<OpType> CONV_OPS = List.of(OpType.SEP_CONV_3X3, OpType.DIL_CONV_3X3);
    /** The split that grows the test genome; its new edges are what the parent switches off. */
    static final EdgeSplit SPLIT = new EdgeSplit(0, 0, 1);

    private Fixtures() {
    }

    /** The initial genome grown by {@link #SPLIT}, every edge carrying exactly {@code ops}. */
    static Genome grown(InputSpec in, int channels, List<OpType> ops) {
        Genome g = SPLIT.applyTo(Genome.initial(in, channels, 1));
        List<Cell> cells = new ArrayList<>();
        for (Cell c : g.cells()) {
            List<Edge> edges = new ArrayList<>();
            for (Edge e : c.edges()) {
                edges.add(new Edge(e.from(), e.to(), ops));
            }
            cells.add(c.withEdges(c.nodes(), edges));
        }
        return new Genome(in, channels, g.reductions(), cells);
    }

    /** Random pixels in 0..255 and random labels. */
    static ImageDataset images(InputSpec in, int count, long seed) {
        return ImageDataset.uniformRandom(count, in.channels(), in.height(), in.width(), in.classes(), seed);
    }

    /** Images that are all one grey level: normalised, every input is exactly 0. */
    static ImageDataset constantImages(InputSpec in, int count) {
        byte[] px = new byte[count * in.channels() * in.height() * in.width()];
        java.util.Arrays.fill(px, (byte) 100);
        return new ImageDataset(count, in.channels(), in.height(), in.width(), in.classes(), px, new byte[count]);
    }

    /**
     * The network a metric's definition describes, built here without the metric's code: compile,
     * bind, initialise from the context's init seed, prune the ops of the switched-off edges.
     */
    static Network network(Backend b, ScoringContext ctx, Genome g, int batch, PlanOptions options,
                           InitScheme scheme, Set<EdgeRef> off) {
        ExecutionPlan plan = ExecutionPlan.compile(g, batch, b.bytesPerElement(), options);
        Network net = Network.bind(plan, b);
        net.initialize(ctx.initSeed(), scheme);
        for (GateSpec s : plan.gates()) {
            if (off.contains(new EdgeRef(s.cell(), s.from(), s.to()))) {
                net.prune(s.index());
            }
        }
        return net;
    }

    /** Row sums of the classifier's logits, one per sample. */
    static double[] logitRowSums(Network net, int classes) {
        double[] z = net.classifierLogits();
        double[] s = new double[z.length / classes];
        for (int i = 0; i < z.length; i++) {
            s[i / classes] += z[i];
        }
        return s;
    }

    static void addToElement(Backend b, Network net, ParamSpec p, int i, double delta) {
        double[] v = b.download(net.tensor(p.value()));
        v[i] += delta;
        b.upload(net.tensor(p.value()), v);
    }

    static void setElement(Backend b, Network net, ParamSpec p, int i, double value) {
        double[] v = b.download(net.tensor(p.value()));
        v[i] = value;
        b.upload(net.tensor(p.value()), v);
    }

    static void scaleTensor(Backend b, Network net, ParamSpec p, double factor) {
        double[] v = b.download(net.tensor(p.value()));
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        b.upload(net.tensor(p.value()), v);
    }

    static ParamSpec param(Network net, String name) {
        for (ParamSpec p : net.plan().parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    static boolean close(double expected, double actual, double rtol, double atol) {
        return Math.abs(expected - actual) <= atol + rtol * Math.abs(expected);
    }
}
