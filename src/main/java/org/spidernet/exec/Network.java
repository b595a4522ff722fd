package org.spidernet.exec;

import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * An {@link ExecutionPlan} bound to a backend: every slot of its {@link MemoryPlan} allocated
 * once (buffers with disjoint lifetimes share one), plus the gate weights, which live on the host
 * because the forward pass branches on their sign. Runs forward and backward passes; the optimiser
 * (in {@code train}) updates the parameters it exposes. Closing frees every tensor.
 */
public final class Network implements AutoCloseable {
    /** Initial value of every gate weight. */
    public static final double INITIAL_GATE = 0.01;
    /** Standard deviation of the initial architecture weights (DARTS: 1e-3 x a standard normal). */
    public static final double INITIAL_ALPHA_STD = 1e-3;

    private final ExecutionPlan plan;
    private final Backend backend;
    private final Tensor[] tensors;
    /** One tensor per memory-plan slot; {@link #tensors} maps buffer ids onto them. */
    private final Tensor[] slots;
    /**
     * The gradients each backward pass zeroes: entry 0 when it starts (parameters', the gates', the
     * unshared activation gradients), entry k + 1 before its step k (0 = the first), the shared
     * activation gradients that step uses first.
     */
    private final int[][] zeroSchedule;
    private final RunContext ctx;
    private final double[] gateWeights;
    /** Live architecture weights, flat over the plan's alpha groups; the search updates them in place. */
    private final double[] alphas;
    /** This step's factor of each alpha entry's op (softmax, or the Gumbel path's one-hot). */
    private final double[] mixingWeights;
    /** This step's softmax each entry's gradient is taken through (equal to the mixing weights for SOFTMAX). */
    private final double[] softWeights;
    /** What {@code alphas.mixing} holds on the backend (valid once {@link #mixingStaged}). */
    private final double[] stagedMixing;
    private boolean mixingStaged;
    private double gumbelTemperature = 1.0;
    private final long inputSize;
    /** What {@code gates.path} holds on the backend (valid once {@link #pathStaged}). */
    private final double[] stagedPath;
    private boolean pathStaged;
    /** What {@code sgd.rate} holds on the backend (valid once {@link #rateStaged}). */
    private double stagedRate;
    private boolean rateStaged;
    /** False once a backward pass may have written gradients over shared activations. */
    private boolean activationsIntact;
    private boolean closed;

    private Network(ExecutionPlan plan, Backend backend) {
        if (plan.bytesPerElement() != backend.bytesPerElement()) {
            throw new IllegalArgumentException("plan compiled for " + plan.bytesPerElement() + "-byte elements, backend "
                    + backend.name() + " uses " + backend.bytesPerElement());
        }
        this.plan = plan;
        this.backend = backend;
        MemoryPlan mp = plan.memoryPlan();
        this.slots = new Tensor[mp.slotCount()];
        try {
            for (int s = 0; s < slots.length; s++) {
                slots[s] = backend.allocate(mp.slotShape(s));
            }
        } catch (RuntimeException | Error e) {
            closeTensors();
            throw e;
        }
        this.tensors = new Tensor[plan.buffers.size()];
        for (BufferSpec b : plan.buffers) {
            tensors[b.id()] = slots[mp.slotOf(b.id())];
        }
        this.zeroSchedule = zeroSchedule(plan);
        this.ctx = new RunContext(backend, tensors, plan.gates.size(), plan.batch, plan);
        this.stagedPath = new double[plan.gates.size() * plan.batch];
        this.gateWeights = new double[plan.gates.size()];
        Arrays.fill(gateWeights, INITIAL_GATE);
        this.inputSize = plan.buffers.get(plan.input).elements();
        this.alphas = new double[plan.alphaCount];
        this.mixingWeights = new double[plan.alphaCount];
        this.softWeights = new double[plan.alphaCount];
        this.stagedMixing = new double[plan.alphaCount * plan.batch];
        if (plan.mixingOnes >= 0) {
            backend.fill(tensors[plan.mixingOnes], 1.0);
        }
    }

    /** See {@link #zeroSchedule}: a shared gradient is zeroed at its first use, every other one at the start. */
    private static int[][] zeroSchedule(ExecutionPlan plan) {
        int f = plan.layers.size();
        List<List<Integer>> at = new ArrayList<>();
        for (int i = 0; i <= f; i++) {
            at.add(new ArrayList<>());
        }
        MemoryPlan mp = plan.memoryPlan();
        for (BufferSpec b : plan.buffers) {
            boolean gradient = b.kind() == BufferKind.GRADIENT || b.kind() == BufferKind.GATE_GRADIENT
                    || b.kind() == BufferKind.ACTIVATION_GRADIENT;
            if (gradient) {
                // only activation gradients are ever transient; their first use is a backward step
                at.get(mp.isTransient(b.id()) ? b.firstUse() - f + 1 : 0).add(b.id());
            }
        }
        int[][] out = new int[f + 1][];
        for (int i = 0; i <= f; i++) {
            out[i] = at.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Allocates every buffer of the plan on the backend. */
    public static Network bind(ExecutionPlan plan, Backend backend) {
        return new Network(plan, backend);
    }

    public ExecutionPlan plan() {
        return plan;
    }

    public Backend backend() {
        return backend;
    }

    public Tensor tensor(int bufferId) {
        return tensors[bufferId];
    }

    /** Live gate weights (one per {@link GateSpec}); the trainer updates them in place. */
    public double[] gateWeights() {
        return gateWeights;
    }

    /** dL/dw per gate from the last backward pass (summed on the backend; this reads them back). */
    public double[] gateGradients() {
        return backend.download(tensors[plan.gateGrads]);
    }

    /**
     * Live architecture weights (alphas), flat: group g's row r, choice i is entry
     * {@code plan().alphaOffset(g) + r * width + i}. The search updates them in place; the next
     * step's mixing weights are formed from them.
     */
    public double[] alphas() {
        return alphas;
    }

    /**
     * dL/dalpha of the last backward pass, flat like {@link #alphas()}: the backend's dL/dm per
     * entry (m = the step's mixing weight) taken through the softmax of each row,
     * {@code dalpha_i = s_i (dm_i - sum_j s_j dm_j)}, divided by the temperature on a Gumbel path
     * (whose hard one-hot passes dm straight through to its soft weights s).
     */
    public double[] alphaGradients() {
        if (plan.alphaGrads < 0) {
            return new double[0];
        }
        double[] dm = backend.download(tensors[plan.alphaGrads]);
        double[] da = new double[dm.length];
        for (int g = 0; g < plan.alphaOffsets.length; g++) {
            AlphaGroup group = plan.architecture.alphas().get(g);
            double factor = group.mixing() == AlphaGroup.Mixing.GUMBEL ? 1.0 / gumbelTemperature : 1.0;
            int w = group.width();
            for (int r = 0; r < group.rows(); r++) {
                int base = plan.alphaOffsets[g] + r * w;
                double dot = 0;
                for (int i = 0; i < w; i++) {
                    dot += softWeights[base + i] * dm[base + i];
                }
                for (int i = 0; i < w; i++) {
                    da[base + i] = factor * softWeights[base + i] * (dm[base + i] - dot);
                }
            }
        }
        return da;
    }

    /** This step's mixing weight of every alpha entry (what its op's output was multiplied by). */
    public double[] mixingWeights() {
        return mixingWeights.clone();
    }

    /** Temperature tau of Gumbel paths' softmax((alpha + g) / tau) from the next step on (GDAS anneals it). */
    public void setGumbelTemperature(double tau) {
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("Gumbel temperature must be > 0 and finite, got " + tau);
        }
        gumbelTemperature = tau;
    }

    public boolean gateOpen(int gate) {
        return gateWeights[gate] > 0 && !ctx.pruned[gate];
    }

    /** Removes an op for good (the deletion rule): it is no longer computed, its gate stays shut. */
    public void prune(int gate) {
        ctx.pruned[gate] = true;
    }

    public boolean isPruned(int gate) {
        return ctx.pruned[gate];
    }

    /**
     * (Re-)initialises every parameter, the BN running statistics and the gates, from a seed:
     * convolutions Kaiming-normal with the given fan, linear layers PyTorch-style uniform,
     * BN scale 1 and shift 0, gates {@link #INITIAL_GATE}; momentum buffers cleared.
     */
    public void initialize(long seed, InitScheme scheme) {
        SplittableRandom root = new SplittableRandom(seed);
        for (ParamSpec p : plan.params) {
            Tensor t = tensors[p.value()];
            double[] v = new double[(int) t.size()];
            SplittableRandom r = root.split();
            Random gauss = new Random(r.nextLong());
            switch (p.init()) {
                case CONV_KAIMING -> {
                    int fan = scheme == InitScheme.FAN_IN ? p.fanIn() : p.fanOut();
                    double std = Math.sqrt(2.0 / fan);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = gauss.nextGaussian() * std;
                    }
                }
                case LINEAR_WEIGHT, LINEAR_BIAS -> {
                    double bound = 1.0 / Math.sqrt(p.fanIn());
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (r.nextDouble() * 2 - 1) * bound;
                    }
                }
                case ONES -> Arrays.fill(v, 1.0);
                case ZEROS -> { }
            }
            backend.upload(t, v);
            backend.fill(tensors[p.velocity()], 0.0);
        }
        for (int[] s : plan.statInit) {
            backend.fill(tensors[s[0]], s[1]);
        }
        Arrays.fill(gateWeights, INITIAL_GATE);
        Arrays.fill(ctx.pruned, false);
        if (alphas.length > 0) {
            Random a = new Random(root.split().nextLong());
            for (int i = 0; i < alphas.length; i++) {
                alphas[i] = INITIAL_ALPHA_STD * a.nextGaussian();
            }
        }
    }

    /**
     * Forward pass over one batch. {@code images} is [batch, C, H, W] row-major, already
     * normalised. In training mode BN uses batch statistics and, when {@code dropProb > 0}, every
     * gated non-identity op gets a per-sample Bernoulli(1 - dropProb) / (1 - dropProb) factor
     * drawn from {@code rng}.
     */
    public void forward(float[] images, boolean training, double dropProb, Random rng) {
        checkInput(images.length);
        backend.upload(tensors[plan.input], images);
        setUpStep(training, dropProb, rng);
        runForward();
    }

    /** {@link #forward(float[], boolean, double, Random)} with float64 input (exact on the reference backend). */
    public void forward(double[] images, boolean training, double dropProb, Random rng) {
        checkInput(images.length);
        backend.upload(tensors[plan.input], images);
        setUpStep(training, dropProb, rng);
        runForward();
    }

    /**
     * The input buffer [batch, C, H, W]. A caller that builds the batch on the backend (see
     * {@link org.spidernet.backend.Backend#augment}) writes it here, then calls
     * {@link #forward(boolean, double, Random)}.
     */
    public Tensor input() {
        return tensors[plan.input];
    }

    /** {@link #forward(float[], boolean, double, Random)} over the batch already in {@link #input()}. */
    public void forward(boolean training, double dropProb, Random rng) {
        setUpStep(training, dropProb, rng);
        runForward();
    }

    /**
     * The host half of a training step over the batch in {@link #input()}: sets this step's gate
     * state, draws its drop-path masks as {@link #forward(float[], boolean, double, Random)} does,
     * and uploads the masks and {@code labels} into the plan's tensors. {@link #runStep()} then
     * runs the step on the backend without touching host data.
     */
    public void beginStep(boolean training, double dropProb, Random rng, int[] labels) {
        setUpStep(training, dropProb, rng);
        stagePathFactors();
        setLabels(labels);
    }

    /**
     * Forward pass, loss and backward pass of the step set up by {@link #beginStep}: only backend
     * ops on the plan's tensors, nothing uploaded, downloaded or waited for, so the call can be
     * captured ({@link org.spidernet.backend.Backend#capture}) and replayed for every step with
     * the same {@link #stepKey()}. The loss stays on the backend ({@link #lossOfLastStep()}).
     */
    public void runStep() {
        runForwardLayers();
        runLossAndBackward();
    }

    /** The host state {@link #runStep()} depends on, as set by the last {@link #beginStep} or forward pass. */
    public StepKey stepKey() {
        java.util.BitSet open = new java.util.BitSet();
        java.util.BitSet pruned = new java.util.BitSet();
        List<Double> scales = new ArrayList<>(ctx.pathScale.length);
        for (int g = 0; g < ctx.gateOpen.length; g++) {
            open.set(g, ctx.gateOpen[g]);
            pruned.set(g, ctx.pruned[g]);
            scales.add(ctx.pathScale[g]);
        }
        return new StepKey(ctx.training, open, pruned, scales);
    }

    /**
     * Uploads a step's class ids into the plan's {@code labels} tensor: {@code batch} values in
     * [0, classes), checked here because a device backend cannot check them without waiting.
     */
    public void setLabels(int[] labels) {
        int classes = plan.classes();
        if (labels.length != plan.batch) {
            throw new IllegalArgumentException(labels.length + " labels for a batch of " + plan.batch);
        }
        double[] values = new double[labels.length];
        for (int n = 0; n < labels.length; n++) {
            if (labels[n] < 0 || labels[n] >= classes) {
                throw new IllegalArgumentException("label " + labels[n] + " at sample " + n + " is outside [0, "
                        + classes + ")");
            }
            values[n] = labels[n];
        }
        backend.upload(tensors[plan.labels], values);
    }

    /**
     * The plan's {@code sgd.rate} tensor ([1]): the learning rate the step's SGD update reads
     * ({@link org.spidernet.backend.Backend#sgdMomentumAll}), set by {@link #setLearningRate}.
     */
    public Tensor learningRate() {
        return tensors[plan.sgdRate];
    }

    /**
     * Uploads the learning rate of the next SGD update into {@link #learningRate()}, unless it
     * holds that rate already (with a rate per epoch, one upload per epoch). It is rounded to the
     * backend's element type, as a float32 backend rounded the argument it used to take.
     */
    public void setLearningRate(double rate) {
        if (!Double.isFinite(rate) || (backend.bytesPerElement() == Float.BYTES && Float.isInfinite((float) rate))) {
            throw new IllegalArgumentException("learning rate " + rate + " is not a finite "
                    + (backend.bytesPerElement() == Float.BYTES ? "float32" : "number"));
        }
        // compare bits: 0.0 and -0.0 are different uploads
        if (!rateStaged || Double.doubleToRawLongBits(stagedRate) != Double.doubleToRawLongBits(rate)) {
            backend.upload(tensors[plan.sgdRate], new double[] {rate});
            stagedRate = rate;
            rateStaged = true;
        }
    }

    /** The weighted loss of the last backward pass with labels (one read from the backend, after the step). */
    public double lossOfLastStep() {
        return backend.download(tensors[plan.loss])[0];
    }

    private void checkInput(int length) {
        if (length != inputSize) {
            throw new IllegalArgumentException("input has " + length + " values, the plan expects "
                    + inputSize + " (batch " + plan.batch + ")");
        }
    }

    private void setUpStep(boolean training, double dropProb, Random rng) {
        ctx.training = training;
        double keep = 1.0 - dropProb;
        boolean dropping = training && dropProb > 0;
        for (GateSpec g : plan.gates) {
            ctx.gateOpen[g.index()] = gateWeights[g.index()] > 0;
            double[] f = ctx.pathFactor[g.index()];
            if (dropping && g.droppable()) {
                for (int n = 0; n < f.length; n++) {
                    f[n] = rng.nextDouble() < keep ? 1.0 / keep : 0.0;
                }
                ctx.pathScale[g.index()] = 1.0 / keep;
            } else {
                Arrays.fill(f, 1.0);
                ctx.pathScale[g.index()] = 1.0;
            }
        }
        mix(training, rng);
    }

    /**
     * This step's mixing weights from the alphas: a softmax per row, or on a Gumbel path the
     * one-hot of argmax softmax((alpha + g) / tau), g drawn from {@code rng} once per row and step
     * (shared by every cell reading the row), and in evaluation the one-hot of the strongest alpha.
     */
    private void mix(boolean training, Random rng) {
        for (int g = 0; g < plan.alphaOffsets.length; g++) {
            AlphaGroup group = plan.architecture.alphas().get(g);
            int w = group.width();
            boolean gumbel = group.mixing() == AlphaGroup.Mixing.GUMBEL;
            double[] z = new double[w];
            for (int r = 0; r < group.rows(); r++) {
                int base = plan.alphaOffsets[g] + r * w;
                for (int i = 0; i < w; i++) {
                    z[i] = alphas[base + i];
                    if (gumbel) {
                        z[i] = (z[i] + (training ? gumbelNoise(rng) : 0.0)) / gumbelTemperature;
                    }
                }
                System.arraycopy(AlphaGroup.softmax(z, 0, w), 0, softWeights, base, w);
                if (gumbel) {
                    int best = 0;
                    for (int i = 1; i < w; i++) {
                        best = z[i] > z[best] ? i : best;
                    }
                    for (int i = 0; i < w; i++) {
                        mixingWeights[base + i] = i == best ? 1.0 : 0.0;
                    }
                } else {
                    System.arraycopy(softWeights, base, mixingWeights, base, w);
                }
            }
        }
    }

    private static double gumbelNoise(Random rng) {
        double u;
        do {
            u = rng.nextDouble();
        } while (u == 0.0);
        return -Math.log(-Math.log(u));
    }


    /**
     * Uploads {@code pathFactor / pathScale} per gate and sample into {@code gates.path} (masks of
     * 0 and 1 for the factors {@link #setUpStep} draws, exact in every element type), unless the
     * backend holds those values already (evaluation passes upload nothing).
     */
    private void stagePathFactors() {
        int batch = plan.batch;
        double[] values = new double[stagedPath.length];
        for (int g = 0; g < ctx.pathFactor.length; g++) {
            double scale = ctx.pathScale[g];
            for (int n = 0; n < batch; n++) {
                values[g * batch + n] = ctx.pathFactor[g][n] / scale;
            }
        }
        if (!pathStaged || !Arrays.equals(values, stagedPath)) {
            backend.upload(tensors[plan.gatePath], values);
            System.arraycopy(values, 0, stagedPath, 0, values.length);
            pathStaged = true;
        }
        if (plan.mixing >= 0) {
            double[] m = new double[stagedMixing.length];
            for (int a = 0; a < mixingWeights.length; a++) {
                Arrays.fill(m, a * batch, (a + 1) * batch, mixingWeights[a]);
            }
            if (!mixingStaged || !Arrays.equals(m, stagedMixing)) {
                backend.upload(tensors[plan.mixing], m);
                System.arraycopy(m, 0, stagedMixing, 0, m.length);
                mixingStaged = true;
            }
        }
    }

    /** The forward schedule with the gate state and path factors already set (tests set them by hand). */
    void runForward() {
        stagePathFactors();
        runForwardLayers();
    }

    private void runForwardLayers() {
        activationsIntact = true;
        for (Layer l : plan.layers) {
            if (ctx.forwardActive(l.gate)) {
                l.forward(ctx);
            }
        }
    }

    /**
     * Loss and backward pass for the batch of the last {@link #forward}: zeroes every gradient,
     * adds each head's weighted softmax cross-entropy and back-propagates. Returns the weighted
     * loss, read from the backend after the backward pass; gate gradients are in
     * {@link #gateGradients()}.
     */
    public double backward(int[] labels) {
        setLabels(labels);
        runLossAndBackward();
        return lossOfLastStep();
    }

    /** Zeroes the gradients and the loss, adds every head's weighted loss, back-propagates. */
    private void runLossAndBackward() {
        startBackward();
        backend.fill(tensors[plan.loss], 0.0);
        for (HeadSpec h : plan.heads) {
            backend.softmaxCrossEntropy(tensors[h.logits()], tensors[plan.labels], tensors[h.logitsGrad()],
                    tensors[plan.loss], h.lossWeight());
        }
        runBackward();
    }

    /**
     * Back-propagates a given gradient of the classifier's logits ([batch * classes]); auxiliary
     * heads get none. Zeroes every gradient first. This is what Jacobian-based scores run: e.g.
     * ones in sample i's row for d(sum of f(x_i)) / d(theta).
     */
    public void backwardFromLogits(double[] dLogits) {
        startBackward();
        HeadSpec last = plan.heads.get(plan.heads.size() - 1);
        backend.upload(tensors[last.logitsGrad()], dLogits);
        runBackward();
    }

    /**
     * Zeroes the gradients that must start at zero (parameters', the gates', the pinned ones);
     * with shared memory, each other activation gradient is zeroed just before its first use.
     */
    private void startBackward() {
        if (plan.memoryPlan().shared()) {
            if (!activationsIntact) {
                throw new IllegalStateException("this network shares activation memory with gradients, so each "
                        + "backward pass needs a forward pass of its own (compile with "
                        + "PlanOptions.withoutMemorySharing() to back-propagate one forward pass several times)");
            }
            activationsIntact = false;
        }
        zero(0);
    }

    private void runBackward() {
        List<Layer> layers = plan.layers;
        int f = layers.size();
        for (int i = f - 1; i >= 0; i--) {
            zero(f - i);
            layers.get(i).backward(ctx);
        }
    }

    private void zero(int scheduleEntry) {
        for (int id : zeroSchedule[scheduleEntry]) {
            backend.fill(tensors[id], 0.0);
        }
    }

    /** d(loss)/d(input) of the last backward pass; the plan must have been compiled with an input gradient. */
    public double[] inputGradient() {
        if (plan.inputGrad < 0) {
            throw new IllegalStateException("plan compiled without an input gradient (PlanOptions.withInputGradient)");
        }
        return backend.download(tensors[plan.inputGrad]);
    }

    /**
     * The input of every ReLU from the last forward pass, in schedule order, each [batch, ...]
     * row-major: their signs are the network's activation pattern.
     */
    public List<double[]> reluInputs() {
        List<double[]> list = new ArrayList<>();
        for (Tensor t : reluInputTensors()) {
            list.add(backend.download(t));
        }
        return list;
    }

    /**
     * The tensors holding every ReLU's input from the last forward pass, in schedule order, each
     * [batch, ...] on the backend: for scores that reduce the activation pattern where the data
     * lives ({@code Backend.signAgreement}) instead of downloading it.
     */
    public List<Tensor> reluInputTensors() {
        if (plan.memoryPlan().shared() && !activationsIntact) {
            throw new IllegalStateException("the ReLU inputs were overwritten by the backward pass (shared memory): "
                    + "run forward again first");
        }
        List<Tensor> list = new ArrayList<>();
        for (int id : plan.reluInputs) {
            list.add(tensors[id]);
        }
        return list;
    }

    /** Logits of the classifier (the last cell's head) from the last forward pass, [batch * classes]. */
    public double[] classifierLogits() {
        return backend.download(tensors[plan.heads.get(plan.heads.size() - 1).logits()]);
    }

    /**
     * Every parameter, running statistic and gate, by name, as float64 arrays: what a checkpoint
     * stores. Gates appear under {@code gate/<label>}.
     */
    public Map<String, double[]> exportState() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (ParamSpec p : plan.params) {
            m.put(p.name(), backend.download(tensors[p.value()]));
        }
        for (BufferSpec b : plan.runningStatistics()) {
            m.put(b.name(), backend.download(tensors[b.id()]));
        }
        for (GateSpec g : plan.gates) {
            m.put(ExecutionPlan.GATE_PREFIX + g.label(), new double[]{gateWeights[g.index()]});
        }
        for (int g = 0; g < plan.alphaOffsets.length; g++) {
            AlphaGroup group = plan.architecture.alphas().get(g);
            m.put(ExecutionPlan.ALPHA_PREFIX + group.name(), Arrays.copyOfRange(alphas, plan.alphaOffsets[g], plan.alphaOffsets[g] + group.size()));
        }
        return m;
    }

    /**
     * What a saved model keeps: {@link #exportState()} with every pruned gate saved shut (weight
     * 0). A deleted op is not computed whatever its gate's weight, which a loaded network cannot
     * know; a shut gate skips the op alike, so the loaded network predicts what this one does.
     */
    public Map<String, double[]> exportForInference() {
        Map<String, double[]> m = exportState();
        for (GateSpec g : plan.gates) {
            if (ctx.pruned[g.index()]) {
                m.put(ExecutionPlan.GATE_PREFIX + g.label(), new double[]{0.0});
            }
        }
        return m;
    }

    /**
     * The SGD momentum buffers by parameter name ({@code momentum/<name>}): with
     * {@link #exportState()} and the trainer's own state, enough to resume training exactly.
     */
    public Map<String, double[]> exportMomentum() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (ParamSpec p : plan.params) {
            m.put("momentum/" + p.name(), backend.download(tensors[p.velocity()]));
        }
        return m;
    }

    /** {@link #exportState()} and {@link #exportMomentum()} together: what a snapshot between epochs keeps. */
    public Map<String, double[]> exportResumable() {
        Map<String, double[]> m = exportState();
        m.putAll(exportMomentum());
        return m;
    }

    /** Loads what {@link #exportMomentum} wrote. */
    public void importMomentum(Map<String, double[]> state) {
        for (ParamSpec p : plan.params) {
            backend.upload(tensors[p.velocity()], require(state, "momentum/" + p.name(), tensors[p.velocity()].size()));
        }
    }

    /** Loads what {@link #exportState} wrote; every entry must be present with the right size. */
    public void importState(Map<String, double[]> state) {
        for (ParamSpec p : plan.params) {
            backend.upload(tensors[p.value()], require(state, p.name(), tensors[p.value()].size()));
        }
        for (BufferSpec b : plan.runningStatistics()) {
            backend.upload(tensors[b.id()], require(state, b.name(), b.elements()));
        }
        for (GateSpec g : plan.gates) {
            gateWeights[g.index()] = require(state, ExecutionPlan.GATE_PREFIX + g.label(), 1)[0];
        }
        for (int g = 0; g < plan.alphaOffsets.length; g++) {
            AlphaGroup group = plan.architecture.alphas().get(g);
            double[] v = require(state, ExecutionPlan.ALPHA_PREFIX + group.name(), group.size());
            System.arraycopy(v, 0, alphas, plan.alphaOffsets[g], v.length);
        }
    }

    /**
     * Forward pass in training mode with the given mixing weights in place of the ones the alphas
     * give (gradient checks perturb the weights directly; the soft weights stay the alphas').
     */
    void forwardWithMixing(double[] images, double[] mixing, Random rng) {
        checkInput(images.length);
        backend.upload(tensors[plan.input], images);
        setUpStep(true, 0.0, rng);
        System.arraycopy(mixing, 0, mixingWeights, 0, mixingWeights.length);
        runForward();
    }

    /** dL/dm of the last backward pass, per alpha entry (m = the entry's mixing weight). */
    double[] mixingGradients() {
        return backend.download(tensors[plan.alphaGrads]);
    }

    /** This step's state, for tests in this package. */
    RunContext context() {
        return ctx;
    }

    private static double[] require(Map<String, double[]> state, String name, long size) {
        double[] v = state.get(name);
        if (v == null) {
            throw new IllegalArgumentException("weights: entry '" + name + "' missing");
        }
        if (v.length != size) {
            throw new IllegalArgumentException("weights: entry '" + name + "' has " + v.length + " values, expected " + size);
        }
        return v;
    }

    private void closeTensors() {
        for (Tensor t : slots) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeTensors();
        }
    }
}
