package org.spidernet.exec;

import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeLowering;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.Head;
import org.spidernet.graph.ir.Node;
import org.spidernet.graph.ir.NodeOp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An architecture (the IR every search space lowers to) compiled for one batch size: the forward
 * schedule (backward is the same list in reverse), every parameter and gate, the heads, and the
 * {@link MemoryPlan}. Backend-neutral: {@link Network#bind} turns it into tensors on a backend.
 * Nodes are compiled in the architecture's order, each allocating its buffers as it goes, so the
 * order of nodes fixes the order of buffers and parameters (and with it the initial weights).
 */
public final class ExecutionPlan {
    /** Prefix of a gate's entry in the saved state ({@link Network#exportState()}). */
    public static final String GATE_PREFIX = "gate/";
    /** Prefix of an alpha group's entry in the saved state. */
    public static final String ALPHA_PREFIX = "alpha/";
    /**
     * What every BatchNorm adds to the variance before the square root, in training and in
     * evaluation; public because an exported network (ONNX) must normalise exactly as the engine does.
     */
    public static final double BATCH_NORM_EPSILON = 1e-5;

    final Architecture architecture;
    final int batch;
    final List<Layer> layers = new ArrayList<>();
    final List<BufferSpec> buffers = new ArrayList<>();
    final List<ParamSpec> params = new ArrayList<>();
    final List<GateSpec> gates = new ArrayList<>();
    final List<HeadSpec> heads = new ArrayList<>();
    /** Buffers that hold state with a fixed initial value: BN running mean (0) and variance (1). */
    final List<int[]> statInit = new ArrayList<>();
    final int input;
    /** Gradient buffer of the input, or -1 when the plan was compiled without one. */
    final int inputGrad;
    /** The [gates] buffer the backward pass sums every gate's gradient into. */
    final int gateGrads;
    /** The [batch] class ids of a step's samples, uploaded before it. */
    final int labels;
    /** The [1] weighted loss of the last step, summed over the heads on the backend. */
    final int loss;
    /** The [gates, batch] drop-path masks of a step, uploaded before it (see {@link RunContext#pathScale}). */
    final int gatePath;
    /** The [1] learning rate of a step's SGD update, uploaded before it (see {@link Network#setLearningRate}). */
    final int sgdRate;
    final PlanOptions options;
    /** Start of each alpha group in the flat alpha vector (the rows of the mixing tensors). */
    final int[] alphaOffsets;
    /** Total alpha entries over all groups. */
    final int alphaCount;
    /**
     * The [alphas, batch] mixing weights of a step, uploaded before it, the [alphas, batch] ones
     * the weights' own gradients are formed with, and the [alphas] buffer those gradients are
     * summed into; all -1 when the architecture has no alphas (then the plan has no such buffers).
     */
    final int mixing;
    final int mixingOnes;
    final int alphaGrads;
    /** The ReLU layers' inputs, in schedule order (their signs are the activation pattern). */
    final List<Integer> reluInputs = new ArrayList<>();
    private final MemoryPlan memoryPlan;
    private final int bytesPerElement;

    private ExecutionPlan(Architecture architecture, int batch, int bytesPerElement, PlanOptions options) {
        this.architecture = architecture;
        this.batch = batch;
        this.bytesPerElement = bytesPerElement;
        this.options = options;
        alphaOffsets = new int[architecture.alphas().size()];
        int a = 0;
        for (int g = 0; g < alphaOffsets.length; g++) {
            alphaOffsets[g] = a;
            a += architecture.alphas().get(g).size();
        }
        alphaCount = a;
        Node in = architecture.node(0);
        int[] shape = in.shape().batched(batch);
        input = buffer(in.name(), BufferKind.INPUT, shape);
        inputGrad = options.inputGradient() ? buffer(in.name() + ".grad", BufferKind.ACTIVATION_GRADIENT, shape) : -1;
        build();
        gateGrads = buffer("gates.grad", BufferKind.GATE_GRADIENT, gates.size());
        labels = buffer("labels", BufferKind.STEP_DATA, batch);
        loss = buffer("loss", BufferKind.STEP_DATA, 1);
        gatePath = buffer("gates.path", BufferKind.STEP_DATA, gates.size(), batch);
        sgdRate = buffer("sgd.rate", BufferKind.STEP_DATA, 1);
        boolean mixed = alphaCount > 0;
        mixing = mixed ? buffer("alphas.mixing", BufferKind.STEP_DATA, alphaCount, batch) : -1;
        mixingOnes = mixed ? buffer("alphas.ones", BufferKind.STEP_DATA, alphaCount, batch) : -1;
        alphaGrads = mixed ? buffer("alphas.grad", BufferKind.GATE_GRADIENT, alphaCount) : -1;
        int f = layers.size();
        // a layer reads and writes values in its forward step and everything in its backward step
        for (int i = 0; i < f; i++) {
            for (int id : layers.get(i).buffers()) {
                if (id < 0) {
                    continue;
                }
                BufferSpec b = buffers.get(id).withUse(2 * f - 1 - i);
                boolean gradient = b.kind() == BufferKind.GRADIENT || b.kind() == BufferKind.ACTIVATION_GRADIENT;
                buffers.set(id, gradient ? b : b.withUse(i));
            }
        }
        // read or written outside the schedule: before forward, after backward, or (the heads'
        // gradients) by the loss before the backward schedule reaches them
        Set<Integer> pinned = new HashSet<>(List.of(input, inputGrad, mixing, mixingOnes, alphaGrads));
        for (HeadSpec h : heads) {
            pinned.add(h.logits());
            pinned.add(h.logitsGrad());
        }
        memoryPlan = new MemoryPlan(buffers, batch, bytesPerElement, 2 * f, options.shareMemory(), pinned);
    }

    /**
     * Compiles a genome (SpiderNet's space, lowered to the IR) for a batch size and an element
     * size (the backend's {@code bytesPerElement()}: 4 for float32 backends, 8 for the reference).
     */
    public static ExecutionPlan compile(Genome genome, int batch, int bytesPerElement) {
        return compile(genome, batch, bytesPerElement, PlanOptions.TRAINING);
    }

    /** Compiles a scoring variant of a genome's network (see {@link PlanOptions}). */
    public static ExecutionPlan compile(Genome genome, int batch, int bytesPerElement, PlanOptions options) {
        return compile(GenomeLowering.lower(genome, !options.bypassStem()), batch, bytesPerElement, options);
    }

    /**
     * Compiles an architecture. {@link PlanOptions#bypassStem} is the lowering's business (a
     * stemless architecture is a different graph) and is not read here.
     */
    public static ExecutionPlan compile(Architecture architecture, int batch, int bytesPerElement, PlanOptions options) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        }
        return new ExecutionPlan(architecture, batch, bytesPerElement, options);
    }

    public PlanOptions options() {
        return options;
    }

    /** Number of ReLU units per sample (the length of an activation-pattern code). */
    public long reluUnitsPerSample() {
        long n = 0;
        for (int id : reluInputs) {
            n += buffers.get(id).elements() / batch;
        }
        return n;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** Start of alpha group g in the flat alpha vector ({@link Network#alphas()}). */
    public int alphaOffset(int group) {
        return alphaOffsets[group];
    }

    /** Classes the network predicts. */
    public int classes() {
        return architecture.classes();
    }

    public int batchSize() {
        return batch;
    }

    public int bytesPerElement() {
        return bytesPerElement;
    }

    public MemoryPlan memoryPlan() {
        return memoryPlan;
    }

    public List<ParamSpec> parameters() {
        return List.copyOf(params);
    }

    public List<GateSpec> gates() {
        return List.copyOf(gates);
    }

    public List<HeadSpec> heads() {
        return List.copyOf(heads);
    }

    /** Trainable scalars: every parameter tensor's elements (gates excluded). */
    public long parameterCount() {
        long n = 0;
        for (ParamSpec p : params) {
            n += buffers.get(p.value()).elements();
        }
        return n;
    }

    /** Multiply-accumulates of one forward pass per image. */
    public long forwardMacsPerImage() {
        long n = 0;
        for (Layer l : layers) {
            n += l.forwardMacs();
        }
        return n / batch;
    }

    // ------------------------------------------------------------------ compilation

    private int buffer(String name, BufferKind kind, int... shape) {
        int id = buffers.size();
        buffers.add(new BufferSpec(id, name, kind, shape.clone(), -1, -1));
        return id;
    }

    private Activation activation(String name, int... shape) {
        int v = buffer(name, BufferKind.ACTIVATION, shape);
        int g = buffer(name + ".grad", BufferKind.ACTIVATION_GRADIENT, shape);
        return new Activation(v, g, shape.clone());
    }

    private ParamSpec param(String name, ParamInit init, int fanIn, int fanOut, int gate, int... shape) {
        int v = buffer(name, BufferKind.PARAMETER, shape);
        int g = buffer(name + ".grad", BufferKind.GRADIENT, shape);
        int m = buffer(name + ".momentum", BufferKind.OPTIMIZER_STATE, shape);
        ParamSpec p = new ParamSpec(name, v, g, m, init, fanIn, fanOut, gate);
        params.add(p);
        return p;
    }

    private void build() {
        List<Node> nodes = architecture.nodes();
        Activation[] out = new Activation[nodes.size()];
        out[0] = new Activation(input, inputGrad, buffers.get(input).shape());
        for (int g = 0; g < architecture.gates().size(); g++) {
            gates.add(new GateSpec(g, architecture.gates().get(g)));
        }
        for (int i = 1; i < nodes.size(); i++) {
            out[i] = node(nodes.get(i), out);
        }
        List<Head> hs = architecture.heads();
        for (int k = 0; k < hs.size(); k++) {
            Activation logits = out[hs.get(k).node()];
            heads.add(new HeadSpec(k, logits.value(), logits.grad(), hs.get(k).lossWeight()));
        }
    }

    /** Plans one node's buffers and layer; returns its output (an input's own, for an alias). */
    private Activation node(Node n, Activation[] out) {
        Activation x = out[n.inputs().isEmpty() ? 0 : n.inputs().get(0)];
        String name = n.name();
        int gate = n.gate();
        NodeOp op = n.op();
        if (op instanceof NodeOp.Conv c) {
            return conv(name, x, c.outChannels(), c.geometry(), gate);
        } else if (op instanceof NodeOp.BatchNorm) {
            return batchNorm(name, x, gate);
        } else if (op instanceof NodeOp.Relu) {
            Activation y = activation(name, x.shape());
            layers.add(new ReluLayer(x, y, gate));
            reluInputs.add(x.value());
            return y;
        } else if (op instanceof NodeOp.Pool p) {
            Activation y = activation(name, n.shape().batched(batch));
            layers.add(new PoolLayer(x, y, p.geometry(), p.max(), gate));
            return y;
        } else if (op instanceof NodeOp.Subsample sub) {
            Activation y = activation(name, n.shape().batched(batch));
            layers.add(new SubsampleLayer(x, y, sub.stride(), sub.offset(), gate));
            return y;
        } else if (op instanceof NodeOp.Identity) {
            return x;
        } else if (op instanceof NodeOp.GatedSum sum) {
            List<GatedSumLayer.Term> terms = new ArrayList<>();
            for (int j = 0; j < sum.gates().size(); j++) {
                terms.add(new GatedSumLayer.Term(out[n.inputs().get(j)], sum.gates().get(j)));
            }
            Activation y = activation(name, n.shape().batched(batch));
            layers.add(new GatedSumLayer(y, terms));
            return y;
        } else if (op instanceof NodeOp.Concat) {
            List<Activation> xs = new ArrayList<>();
            for (int i : n.inputs()) {
                xs.add(out[i]);
            }
            Activation y = activation(name, n.shape().batched(batch));
            layers.add(new ConcatLayer(y, xs));
            return y;
        } else if (op instanceof NodeOp.Sum) {
            List<Activation> xs = new ArrayList<>();
            for (int i : n.inputs()) {
                xs.add(out[i]);
            }
            Activation y = activation(name, n.shape().batched(batch));
            layers.add(new SumLayer(y, xs));
            return y;
        } else if (op instanceof NodeOp.WeightedSum sum) {
            List<Activation> xs = new ArrayList<>();
            int[] entries = new int[n.inputs().size()];
            int width = architecture.alphas().get(sum.group()).width();
            for (int j = 0; j < entries.length; j++) {
                xs.add(out[n.inputs().get(j)]);
                entries[j] = alphaOffsets[sum.group()] + sum.rows().get(j) * width + sum.choices().get(j);
            }
            Activation y = activation(name, n.shape().batched(batch));
            layers.add(new WeightedSumLayer(y, xs, entries));
            return y;
        } else if (op instanceof NodeOp.Classifier head) {
            int ch = x.shape()[1];
            Activation pooled = activation(name + ".pool", batch, ch);
            Activation logits = activation(name + ".logits", batch, head.classes());
            ParamSpec w = param(name + ".weight", ParamInit.LINEAR_WEIGHT, ch, head.classes(), gate, head.classes(), ch);
            ParamSpec b = param(name + ".bias", ParamInit.LINEAR_BIAS, ch, head.classes(), gate, head.classes());
            layers.add(new HeadLayer(x, pooled, logits, w, b));
            return logits;
        }
        throw new IllegalArgumentException("node '" + name + "': " + op.kind() + " cannot be compiled here");
    }

    private Activation conv(String name, Activation x, int outCh, ConvGeometry g, int gate) {
        int inCh = x.shape()[1];
        int perGroupIn = inCh / g.groups();
        // PyTorch's fans (torch.nn.init._calculate_fan_in_and_fan_out), which the NTK's reference
        // init uses: weight.size(1) * k^2 in, weight.size(0) * k^2 out, so groups shrink fan_in only
        int fanIn = perGroupIn * g.kernel() * g.kernel();
        int fanOut = outCh * g.kernel() * g.kernel();
        ParamSpec w = param(name + ".weight", ParamInit.CONV_KAIMING, fanIn, fanOut, gate, outCh, perGroupIn,
                g.kernel(), g.kernel());
        Activation y = activation(name, batch, outCh, g.outSize(x.shape()[2]), g.outSize(x.shape()[3]));
        layers.add(new ConvLayer(x, w, y, g, gate));
        return y;
    }

    private Activation batchNorm(String name, Activation x, int gate) {
        if (!options.batchNorm()) {
            return x;
        }
        int ch = x.shape()[1];
        ParamSpec gamma = param(name + ".gamma", ParamInit.ONES, 1, 1, gate, ch);
        ParamSpec beta = param(name + ".beta", ParamInit.ZEROS, 1, 1, gate, ch);
        int saveMean = buffer(name + ".save_mean", BufferKind.STATISTICS, ch);
        int saveInv = buffer(name + ".save_invstd", BufferKind.STATISTICS, ch);
        int runMean = buffer(name + ".running_mean", BufferKind.STATISTICS, ch);
        int runVar = buffer(name + ".running_var", BufferKind.STATISTICS, ch);
        statInit.add(new int[]{runMean, 0});
        statInit.add(new int[]{runVar, 1});
        Activation y = activation(name + ".out", x.shape());
        layers.add(new BatchNormLayer(x, y, gamma, beta, saveMean, saveInv, runMean, runVar, gate));
        return y;
    }

    /**
     * The shape of every entry {@link Network#exportState()} writes, in its order: parameters,
     * BN running statistics, gates ({@code gate/<label>}, one value) and architecture weights
     * ({@code alpha/<group>}, rows x choices). What a standard tensor file needs beside the values.
     */
    public Map<String, int[]> stateShapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (ParamSpec p : params) {
            m.put(p.name(), buffers.get(p.value()).shape().clone());
        }
        for (BufferSpec b : runningStatistics()) {
            m.put(b.name(), b.shape().clone());
        }
        for (GateSpec g : gates) {
            m.put(GATE_PREFIX + g.label(), new int[]{1});
        }
        for (AlphaGroup group : architecture.alphas()) {
            m.put(ALPHA_PREFIX + group.name(), new int[]{group.rows(), group.width()});
        }
        return m;
    }

    /** Names of the running-statistics buffers (saved with the weights). */
    List<BufferSpec> runningStatistics() {
        List<BufferSpec> list = new ArrayList<>();
        for (int[] s : statInit) {
            list.add(buffers.get(s[0]));
        }
        return list;
    }
}
