package org.spidernet.deploy.onnx;

import org.spidernet.data.ChannelStats;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.Node;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.Shape;
import org.spidernet.deploy.onnx.proto.AttributeProto;
import org.spidernet.deploy.onnx.proto.GraphProto;
import org.spidernet.deploy.onnx.proto.NodeProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes an architecture's eval-mode forward pass as an ONNX graph, node by node in the IR's
 * (topological) order: only live nodes ({@link LiveNodes}), sums with their gates and mixing
 * weights folded in ({@link MergeTerms}), every parameter a float32 initializer named as in the
 * weights map. Value names are the IR's node names; a node that computes nothing (identity, a
 * stride-1 subsample, a one-input sum, a disabled BatchNorm) is an alias of its input's value.
 * Values the IR has no node for carry a '/' suffix ({@code image/normalised}, {@code <sum>/term0}).
 */
final class OnnxGraphBuilder {
    private final Architecture a;
    private final ExportWeights weights;
    private final boolean batchNorm;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    /** The ONNX value each node's output is, by node id (null for dead nodes). */
    private final String[] values;
    /** The [batch] extent of the image as a 1-D int64 value, made when a constant-zero map first needs it. */
    private String batchExtent;

    private OnnxGraphBuilder(Architecture a, ExportWeights weights, boolean batchNorm) {
        this.a = a;
        this.weights = weights;
        this.batchNorm = batchNorm;
        this.values = new String[a.nodes().size()];
    }

    static GraphProto build(Architecture a, ExportWeights weights, ChannelStats normalisation,
                            Set<Integer> prunedGates, boolean batchNorm) {
        OnnxGraphBuilder b = new OnnxGraphBuilder(a, weights, batchNorm);
        List<List<MergeTerms.Term>> terms = MergeTerms.of(a, weights, prunedGates);
        boolean[] live = LiveNodes.of(a, terms);
        b.input(normalisation);
        for (Node n : a.nodes().subList(1, a.nodes().size())) {
            if (live[n.id()]) {
                b.values[n.id()] = b.lower(n, terms.get(n.id()));
            }
        }
        b.graph.addOutput(OnnxProtos.floatValue(OnnxExport.OUTPUT, OnnxExport.BATCH, a.classes()));
        return b.graph.setName("spidernet").build();
    }

    /** The image input, normalised in the graph when the channel statistics are given. */
    private void input(ChannelStats stats) {
        NodeOp.Input in = a.input();
        graph.addInput(OnnxProtos.floatValue(OnnxExport.INPUT, OnnxExport.BATCH, in.channels(), in.height(), in.width()));
        if (stats == null) {
            values[0] = OnnxExport.INPUT;
            return;
        }
        int c = in.channels();
        if (stats.channels() != c) {
            throw new OnnxExportException("normalisation: " + stats.channels() + " channel statistics for an input of "
                    + c + " channels");
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int i = 0; i < c; i++) {
            mean[i] = (float) stats.mean(i);
            // the engine leaves a constant channel (std 0) centred but unscaled (ImageDataset, AugmentPlan)
            std[i] = stats.std(i) > 0 ? (float) stats.std(i) : 1f;
        }
        String image = OnnxExport.INPUT;
        graph.addInitializer(OnnxProtos.floats(image + "/mean", mean, 1, c, 1, 1));
        graph.addInitializer(OnnxProtos.floats(image + "/std", std, 1, c, 1, 1));
        node("Sub", image + "/centre", List.of(image, image + "/mean"), image + "/centred");
        node("Div", image + "/scale", List.of(image + "/centred", image + "/std"), image + "/normalised");
        values[0] = image + "/normalised";
    }

    /** Emits one live node; returns the value holding its output. */
    private String lower(Node n, List<MergeTerms.Term> terms) {
        String name = n.name();
        NodeOp op = n.op();
        String x = values[n.inputs().isEmpty() ? 0 : n.inputs().get(0)];
        if (op instanceof NodeOp.Conv c) {
            return conv(n, c, x);
        } else if (op instanceof NodeOp.BatchNorm) {
            return batchNorm ? batchNorm(n, x) : x;
        } else if (op instanceof NodeOp.Relu) {
            node("Relu", name, List.of(x), name);
            return name;
        } else if (op instanceof NodeOp.Pool p) {
            return pool(n, p, x);
        } else if (op instanceof NodeOp.Subsample s) {
            return subsample(n, s, x);
        } else if (op instanceof NodeOp.Identity) {
            return x;
        } else if (op instanceof NodeOp.Sum || op instanceof NodeOp.Concat) {
            List<String> xs = new ArrayList<>();
            n.inputs().forEach(i -> xs.add(values[i]));
            if (xs.size() == 1) {
                return x;
            }
            boolean sum = op instanceof NodeOp.Sum;
            node(sum ? "Sum" : "Concat", name, xs, name, sum ? new AttributeProto[0]
                    : new AttributeProto[] {OnnxProtos.integer("axis", 1)});
            return name;
        } else if (op instanceof NodeOp.GatedSum || op instanceof NodeOp.WeightedSum) {
            return merge(n, terms);
        } else if (op instanceof NodeOp.Classifier head) {
            return classifier(n, head, x);
        }
        // NodeOp is sealed and every op above has a form; a new op lands here until it gets one
        throw new OnnxExportException("node '" + name + "': op " + op.kind() + " has no ONNX form in this exporter");
    }

    private String conv(Node n, NodeOp.Conv c, String x) {
        ConvGeometry g = c.geometry();
        int in = a.node(n.inputs().get(0)).shape().channels();
        int k = g.kernel();
        String w = n.name() + ".weight";
        graph.addInitializer(OnnxProtos.floats(w, weights.floats(w, c.outChannels() * (in / g.groups()) * k * k),
                c.outChannels(), in / g.groups(), k, k));
        int p = g.padding();
        node("Conv", n.name(), List.of(x, w), n.name(), OnnxProtos.ints("kernel_shape", k, k),
                OnnxProtos.ints("strides", g.stride(), g.stride()), OnnxProtos.ints("pads", p, p, p, p),
                OnnxProtos.ints("dilations", g.dilation(), g.dilation()), OnnxProtos.integer("group", g.groups()));
        return n.name();
    }

    /** Inference-mode BatchNormalization with the running statistics and the engine's epsilon. */
    private String batchNorm(Node n, String x) {
        int c = n.shape().channels();
        List<String> in = new ArrayList<>(List.of(x));
        for (String p : List.of("gamma", "beta", "running_mean", "running_var")) {
            String entry = n.name() + "." + p;
            graph.addInitializer(OnnxProtos.floats(entry, weights.floats(entry, c), c));
            in.add(entry);
        }
        node("BatchNormalization", n.name(), in, n.name(),
                OnnxProtos.real("epsilon", (float) ExecutionPlan.BATCH_NORM_EPSILON));
        return n.name();
    }

    private String pool(Node n, NodeOp.Pool op, String x) {
        PoolGeometry g = op.geometry();
        int k = g.kernel();
        int p = g.padding();
        List<AttributeProto> attrs = new ArrayList<>(List.of(OnnxProtos.ints("kernel_shape", k, k),
                OnnxProtos.ints("strides", g.stride(), g.stride()), OnnxProtos.ints("pads", p, p, p, p)));
        if (!op.max()) {
            // the engine's average always divides by kernel x kernel, padded zeros included
            attrs.add(OnnxProtos.integer("count_include_pad", 1));
        }
        node(op.max() ? "MaxPool" : "AveragePool", n.name(), List.of(x), n.name(), attrs.toArray(new AttributeProto[0]));
        return n.name();
    }

    /**
     * x[:, :, o::s, o::s] as a Slice; where the offset leaves fewer than ceil(extent / s) rows or
     * columns, the engine reads zeros past the edge, so a Pad with zeros at the end follows.
     */
    private String subsample(Node n, NodeOp.Subsample s, String x) {
        if (s.stride() == 1) {
            return x;
        }
        Shape in = a.node(n.inputs().get(0)).shape();
        String name = n.name();
        int o = s.offset();
        int st = s.stride();
        graph.addInitializer(OnnxProtos.int64s(name + "/starts", o, o));
        graph.addInitializer(OnnxProtos.int64s(name + "/ends", in.height(), in.width()));
        graph.addInitializer(OnnxProtos.int64s(name + "/axes", 2, 3));
        graph.addInitializer(OnnxProtos.int64s(name + "/steps", st, st));
        int padH = n.shape().height() - Math.floorDiv(in.height() - o + st - 1, st);
        int padW = n.shape().width() - Math.floorDiv(in.width() - o + st - 1, st);
        String sliced = padH == 0 && padW == 0 ? name : name + "/sliced";
        node("Slice", name + "/slice", List.of(x, name + "/starts", name + "/ends", name + "/axes", name + "/steps"), sliced);
        if (sliced.equals(name)) {
            return name;
        }
        graph.addInitializer(OnnxProtos.int64s(name + "/pads", 0, 0, 0, 0, 0, 0, padH, padW));
        node("Pad", name, List.of(sliced, name + "/pads"), name);
        return name;
    }

    /** A gated or weighted sum with its eval-mode terms: factor-1 terms added as they are, others through a Mul. */
    private String merge(Node n, List<MergeTerms.Term> terms) {
        String name = n.name();
        if (terms.isEmpty()) {
            return zeros(n);
        }
        List<String> xs = new ArrayList<>();
        for (int j = 0; j < terms.size(); j++) {
            MergeTerms.Term t = terms.get(j);
            String x = values[t.input()];
            if (t.factor() != 1.0) {
                String f = name + "/factor" + j;
                graph.addInitializer(OnnxProtos.floats(f, new float[] {(float) t.factor()}));
                String y = terms.size() == 1 ? name : name + "/term" + j;
                node("Mul", y, List.of(x, f), y);
                x = y;
            }
            xs.add(x);
        }
        if (xs.size() == 1) {
            return xs.get(0);
        }
        node("Sum", name, xs, name);
        return name;
    }

    /**
     * A sum with every term folded away (all gates closed, or a Gumbel row choosing 'none') is a
     * map of zeros; ConstantOfShape makes it for whatever batch comes in, so what follows (a
     * BatchNorm's shift, say) is still computed exactly as the engine does.
     */
    private String zeros(Node n) {
        if (batchExtent == null) {
            batchExtent = OnnxExport.INPUT + "/batch";
            node("Shape", batchExtent, List.of(OnnxExport.INPUT), batchExtent, OnnxProtos.integer("start", 0),
                    OnnxProtos.integer("end", 1));
        }
        Shape s = n.shape();
        String name = n.name();
        graph.addInitializer(OnnxProtos.int64s(name + "/extent", s.channels(), s.height(), s.width()));
        node("Concat", name + "/shape", List.of(batchExtent, name + "/extent"), name + "/shape",
                OnnxProtos.integer("axis", 0));
        node("ConstantOfShape", name, List.of(name + "/shape"), name,
                OnnxProtos.tensor("value", OnnxProtos.floats(name + "/zero", new float[] {0f}, 1)));
        return name;
    }

    /** Global average pool, flatten, then logits = x W^T + b; only the last head is live, so it writes the output. */
    private String classifier(Node n, NodeOp.Classifier head, String x) {
        String name = n.name();
        int ch = a.node(n.inputs().get(0)).shape().channels();
        String w = name + ".weight";
        String b = name + ".bias";
        graph.addInitializer(OnnxProtos.floats(w, weights.floats(w, head.classes() * ch), head.classes(), ch));
        graph.addInitializer(OnnxProtos.floats(b, weights.floats(b, head.classes()), head.classes()));
        node("GlobalAveragePool", name + "/pool", List.of(x), name + "/pool");
        node("Flatten", name + "/flatten", List.of(name + "/pool"), name + "/flatten", OnnxProtos.integer("axis", 1));
        node("Gemm", name, List.of(name + "/flatten", w, b), OnnxExport.OUTPUT, OnnxProtos.integer("transB", 1));
        return OnnxExport.OUTPUT;
    }

    private void node(String opType, String name, List<String> inputs, String output, AttributeProto... attrs) {
        graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attrs)));
    }
}
