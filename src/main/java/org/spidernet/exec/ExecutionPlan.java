package org.spidernet.exec;

import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A genome compiled for one batch size: the forward schedule (backward is the same list in
 * reverse), every parameter and gate, the heads, and the {@link MemoryPlan}. Backend-neutral:
 * {@link Network#bind} turns it into tensors on a backend.
 */
public final class ExecutionPlan {
    /** Weight of each auxiliary head's loss; the last cell's head weighs 1. */
    public static final double AUX_WEIGHT = 0.4;

    final Genome genome;
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
    /** The ReLU layers' inputs, in schedule order (their signs are the activation pattern). */
    final List<Integer> reluInputs = new ArrayList<>();
    private final MemoryPlan memoryPlan;
    private final int bytesPerElement;

    private ExecutionPlan(Genome genome, int batch, int bytesPerElement, PlanOptions options) {
        this.genome = genome;
        this.batch = batch;
        this.bytesPerElement = bytesPerElement;
        this.options = options;
        InputSpec in = genome.input();
        int inChannels = options.bypassStem() ? genome.channels() : in.channels();
        input = buffer("input", BufferKind.INPUT, batch, inChannels, in.height(), in.width());
        inputGrad = options.inputGradient()
                ? buffer("input.grad", BufferKind.ACTIVATION_GRADIENT, batch, inChannels, in.height(), in.width()) : -1;
        build();
        gateGrads = buffer("gates.grad", BufferKind.GATE_GRADIENT, gates.size());
        labels = buffer("labels", BufferKind.STEP_DATA, batch);
        loss = buffer("loss", BufferKind.STEP_DATA, 1);
        gatePath = buffer("gates.path", BufferKind.STEP_DATA, gates.size(), batch);
        sgdRate = buffer("sgd.rate", BufferKind.STEP_DATA, 1);
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
        Set<Integer> pinned = new HashSet<>(List.of(input, inputGrad));
        for (HeadSpec h : heads) {
            pinned.add(h.logits());
            pinned.add(h.logitsGrad());
        }
        memoryPlan = new MemoryPlan(buffers, batch, bytesPerElement, 2 * f, options.shareMemory(), pinned);
    }

    /**
     * Compiles a genome for a batch size and an element size (the backend's
     * {@code bytesPerElement()}: 4 for float32 backends, 8 for the reference).
     */
    public static ExecutionPlan compile(Genome genome, int batch, int bytesPerElement) {
        return compile(genome, batch, bytesPerElement, PlanOptions.TRAINING);
    }

    /** Compiles a scoring variant of the network (see {@link PlanOptions}). */
    public static ExecutionPlan compile(Genome genome, int batch, int bytesPerElement, PlanOptions options) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        }
        return new ExecutionPlan(genome, batch, bytesPerElement, options);
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

    public Genome genome() {
        return genome;
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
        InputSpec in = genome.input();
        int c = genome.channels();
        int[] inShape = buffers.get(input).shape();
        Activation x = new Activation(input, inputGrad, inShape);
        Activation stem = options.bypassStem() ? x
                : batchNorm("stem.bn", conv("stem.conv", x, c, ConvGeometry.dense(3, 1, 1), -1), -1);
        List<Activation> sources = new ArrayList<>();
        sources.add(stem);
        for (Cell cell : genome.cells()) {
            sources.add(buildCell(cell, sources));
        }
        for (int k = 0; k < genome.cells().size(); k++) {
            Activation feat = sources.get(k + 1);
            int ch = feat.shape()[1];
            String p = "cell" + k + ".head";
            Activation pooled = activation(p + ".pool", batch, ch);
            Activation logits = activation(p + ".logits", batch, in.classes());
            ParamSpec w = param(p + ".weight", ParamInit.LINEAR_WEIGHT, ch, in.classes(), -1, in.classes(), ch);
            ParamSpec b = param(p + ".bias", ParamInit.LINEAR_BIAS, ch, in.classes(), -1, in.classes());
            layers.add(new HeadLayer(feat, pooled, logits, w, b));
            boolean last = k == genome.cells().size() - 1;
            heads.add(new HeadSpec(k, logits.value(), logits.grad(), last ? 1.0 : AUX_WEIGHT));
        }
    }

    private Activation buildCell(Cell cell, List<Activation> sources) {
        int k = cell.index();
        int ch = genome.cellChannels(k);
        String cp = "cell" + k;
        Activation[] node = new Activation[cell.nodes()];
        for (int i = 0; i < cell.inputs(); i++) {
            Activation a = sources.get(i);
            String np = cp + ".in" + i;
            if (a.shape()[1] != ch) {
                a = batchNorm(np + ".adapt.bn", conv(np + ".adapt.conv", a, ch, ConvGeometry.dense(1, 1, 0), -1), -1);
            }
            int stride = 1 << (Genome.inputLevel(k) - Genome.sourceLevel(i));
            if (stride > 1) {
                a = subsample(np + ".resize", a, stride, -1);
            }
            node[i] = batchNorm(np + ".bn", a, -1);
        }
        int h = Genome.extentAt(genome.input().height(), Genome.outputLevel(k));
        int w = Genome.extentAt(genome.input().width(), Genome.outputLevel(k));
        for (int n = cell.inputs(); n < cell.nodes(); n++) {
            String np = cp + ".node" + n;
            List<GatedSumLayer.Term> terms = new ArrayList<>();
            for (Edge e : cell.incoming(n)) {
                int stride = cell.strideOf(e);
                for (OpType op : e.ops()) {
                    int gate = gates.size();
                    gates.add(new GateSpec(gate, k, e.from(), e.to(), op));
                    String op_ = cp + ".e" + e.from() + "-" + e.to() + "." + op.jsonName();
                    Activation out = buildOp(op_, op, node[e.from()], stride, gate);
                    if (out.shape()[2] != h || out.shape()[3] != w) {
                        throw new IllegalStateException(op_ + ": output " + Arrays.toString(out.shape())
                                + " does not match the cell's " + h + "x" + w);
                    }
                    terms.add(new GatedSumLayer.Term(out, gate));
                }
            }
            Activation sum = activation(np + ".sum", batch, ch, h, w);
            layers.add(new GatedSumLayer(sum, terms));
            node[n] = batchNorm(np + ".bn", sum, -1);
        }
        return node[cell.outputNode()];
    }

    /** Padding that keeps "same" geometry: ceil((k*d - d + 1 - s) / 2). */
    static int padding(int k, int d, int s) {
        int num = k * d - d + 1 - s;
        return Math.max(0, (num + 1) / 2);
    }

    private Activation buildOp(String name, OpType op, Activation x, int stride, int gate) {
        int ch = x.shape()[1];
        switch (op) {
            case IDENTITY:
                return stride == 1 ? x : subsample(name, x, stride, gate);
            case MAX_POOL_3X3:
            case AVG_POOL_3X3: {
                PoolGeometry g = new PoolGeometry(3, stride, 1);
                Activation y = activation(name, batch, ch, g.outSize(x.shape()[2]), g.outSize(x.shape()[3]));
                layers.add(new PoolLayer(x, y, g, op == OpType.MAX_POOL_3X3, gate));
                return y;
            }
            case SEP_CONV_3X3:
            case SEP_CONV_5X5: {
                int k = op.kernel();
                Activation a = conv(name + ".dw1", x, ch, new ConvGeometry(k, stride, padding(k, 1, stride), 1, ch), gate);
                a = batchNorm(name + ".bn1", conv(name + ".pw1", a, ch, ConvGeometry.dense(1, 1, 0), gate), gate);
                Activation r = activation(name + ".relu", a.shape());
                layers.add(new ReluLayer(a, r, gate));
                reluInputs.add(a.value());
                a = conv(name + ".dw2", r, ch, new ConvGeometry(k, 1, padding(k, 1, 1), 1, ch), gate);
                return batchNorm(name + ".bn2", conv(name + ".pw2", a, ch, ConvGeometry.dense(1, 1, 0), gate), gate);
            }
            case DIL_CONV_3X3:
            case DIL_CONV_5X5: {
                int k = op.kernel();
                Activation a = conv(name + ".dw", x, ch, new ConvGeometry(k, stride, padding(k, 2, stride), 2, ch), gate);
                return batchNorm(name + ".bn", conv(name + ".pw", a, ch, ConvGeometry.dense(1, 1, 0), gate), gate);
            }
            default:
                throw new IllegalArgumentException("op " + op + " has no computation");
        }
    }

    private Activation conv(String name, Activation x, int outCh, ConvGeometry g, int gate) {
        int inCh = x.shape()[1];
        int perGroupIn = inCh / g.groups();
        int fanIn = perGroupIn * g.kernel() * g.kernel();
        int fanOut = outCh / g.groups() * g.kernel() * g.kernel();
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

    private Activation subsample(String name, Activation x, int stride, int gate) {
        int[] s = x.shape();
        Activation y = activation(name, batch, s[1], (s[2] + stride - 1) / stride, (s[3] + stride - 1) / stride);
        layers.add(new SubsampleLayer(x, y, stride, gate));
        return y;
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
