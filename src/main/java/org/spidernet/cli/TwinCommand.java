package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.HeadSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.GenomeLowering;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureJson;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.Checkpoint;
import org.spidernet.io.TensorDump;
import org.spidernet.io.WeightsFile;
import org.spidernet.metrics.LinearRegionCount;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.darts.DartsLowering;
import org.spidernet.search.darts.DartsNetwork;
import org.spidernet.search.darts.DartsNetworkJson;
import org.spidernet.search.darts.DartsSkeleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code spidernet twin} (hidden): the engine's half of the PyTorch twin
 * ({@code benchmarks/pytorch_twin.py}). It fixes a network and its weights (a checkpoint, or a
 * network initialised from the seed: a SpiderNet genome, a DARTS supernet or a derived DARTS
 * network), writes the network as architecture IR JSON ({@link ArchitectureJson}, what the twin
 * builds its PyTorch network from, whatever the space), runs one training-mode forward and
 * backward pass on a seeded random batch with drop-path off on each requested backend, and writes
 * everything the twin compares against: the input, labels, every head's logits, the loss, every
 * parameter, gate and alpha gradient, and the BN running statistics after the step
 * ({@link TensorDump}). With
 * {@code --time-batch} it also times the engine's training step and train-free metrics
 * ({@link TwinTimings}) so both halves of the side-by-side table come from one set of settings.
 *
 * <p>Freshly initialised weights are perturbed where initialisation leaves symmetric values (BN
 * scale 1 and shift 0, running mean 0 and variance 1, every gate at 0.01, alphas near 0 where
 * every softmax is nearly uniform and its curvature would hardly show), and
 * {@code --closed-gates} shuts some gates, so that a swapped BN argument, a wrong running-statistic
 * formula or a mishandled closed gate shows up as a disagreement instead of cancelling out.
 */
@Command(name = "twin", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, hidden = true,
        description = "Engine side of the PyTorch twin: dump one training step's logits, loss and gradients; time steps and metrics.")
final class TwinCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TwinCommand.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The network as IR JSON: what the twin builds. */
    static final String ARCHITECTURE = "architecture.json";
    /** SpiderNet networks only: the genome at the NTK's width, and the linear regions' stemless width-1 network. */
    static final String NTK_ARCHITECTURE = "architecture-ntk.json";
    static final String LRC_ARCHITECTURE = "architecture-lrc.json";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--genome", description = "Genome JSON (default: the initial net).")
    Path genomeFile;

    @Option(names = "--checkpoint", description = "Directory with genome.json and weights.bin (a train/search checkpoint or run directory).")
    Path checkpoint;

    @Option(names = "--darts-supernet", description = "A DARTS search supernet (C from --channels, --layers, --mixing) instead of a genome.")
    boolean dartsSupernet;

    @Option(names = "--layers", defaultValue = "5", description = "Cells of the DARTS supernet (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--mixing", defaultValue = "softmax", description = "Mixing of the DARTS supernet: softmax (the twin does not reproduce the engine's Gumbel noise; default: ${DEFAULT-VALUE}).")
    String mixing;

    @Option(names = "--genotype", description = "A derived DARTS network (genotype.json: skeleton and genotype) instead of a genome.")
    Path genotypeFile;

    @Option(names = "--network", paramLabel = "FILE", description = "A network of any registered space (its JSON as a run saves it, "
            + "e.g. fade-network.json or region.json; --space names the space) instead of a genome.")
    Path networkFile;

    @Option(names = "--space", description = "The architecture space of --network (e.g. fade, fade-region, darts, darts-supernet).")
    String space;

    // the network a default CPU search starts from, on every machine: the PyTorch half must build the same one
    @Option(names = "--channels", defaultValue = "" + SearchDefaults.CPU_CHANNELS, description = "C of the initial net when no genome is given (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--reductions", defaultValue = "" + SearchDefaults.REDUCTIONS, description = "R of the initial net (default: ${DEFAULT-VALUE}).")
    int reductions;

    @Option(names = "--grow", defaultValue = "0", description = "Apply this many seeded random edge splits to the genome (default: ${DEFAULT-VALUE}).")
    int grow;

    @Option(names = "--closed-gates", defaultValue = "0", description = "Shut this many randomly chosen gates (fresh weights only; default: ${DEFAULT-VALUE}).")
    int closedGates;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds growth, initialisation, gates and the batch (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--check-batch", defaultValue = "8", description = "Batch size of the dumped step (default: ${DEFAULT-VALUE}).")
    int checkBatch;

    @Option(names = "--backends", split = ",", defaultValue = "reference,cpu", description = "Backends to dump, or none (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--out", required = true, description = "Output directory (created; must be new or empty).")
    Path out;

    @Option(names = "--time-batch", defaultValue = "0", description = "Also time the training step at this batch size (0: no timing).")
    int timeBatch;

    @Option(names = "--time-backend", defaultValue = "cpu", description = "Backend to time (default: ${DEFAULT-VALUE}).")
    String timeBackend;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed training steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--drop-path", defaultValue = "0", description = "Drop-path probability of the timed steps (default: ${DEFAULT-VALUE}).")
    double dropPath;

    @Option(names = "--metrics", split = ",", description = "Train-free metrics to time (names as in --metrics of search).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--metric-seconds", defaultValue = "3", description = "Minimum timed seconds per metric (default: ${DEFAULT-VALUE}).")
    double metricSeconds;

    @Option(names = "--metric-reps", defaultValue = "2", description = "Minimum timed scorings per metric (default: ${DEFAULT-VALUE}).")
    int metricReps;

    @Option(names = "--metric-batch", defaultValue = "64", description = "Batch of ntk (per batch), naswot, naswot_v2, snip, grad_norm (default: ${DEFAULT-VALUE}).")
    int metricBatch;

    @Option(names = "--ntk-batches", defaultValue = "1", description = "NTK batches (SpiderNet: 3; default: ${DEFAULT-VALUE}).")
    int ntkBatches;

    @Option(names = "--ntk-width", defaultValue = "3", description = "NTK network width (SpiderNet: 3; default: ${DEFAULT-VALUE}).")
    int ntkWidth;

    @Option(names = "--lrc-batches", defaultValue = "1", description = "Linear-region batches (SpiderNet: 3; default: ${DEFAULT-VALUE}).")
    int lrcBatches;

    @Option(names = "--lrc-crops", defaultValue = "1000", description = "Crops per linear-region batch (SpiderNet: 1000; default: ${DEFAULT-VALUE}).")
    int lrcCrops;

    @Override
    public Integer call() throws Exception {
        if (checkpoint != null && (genomeFile != null || grow > 0 || closedGates > 0)) {
            throw bad("--checkpoint fixes the network and its weights: it cannot be combined with --genome, --grow or --closed-gates");
        }
        if (checkBatch < 2) {
            throw bad("--check-batch must be >= 2 (train-mode BatchNorm needs two samples), got " + checkBatch);
        }
        if (grow < 0 || closedGates < 0 || timeBatch < 0 || warmup < 0 || steps < 1 || metricReps < 1) {
            throw bad("--grow, --closed-gates, --time-batch and --warmup must be >= 0, --steps and --metric-reps >= 1");
        }
        if (dropPath < 0 || dropPath >= 1) {
            throw bad("--drop-path must be in [0, 1), got " + dropPath);
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
            throw bad("--out " + out + " already exists and is not an empty directory");
        }
        backends = backends.stream().map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none")).toList();
        for (String b : backends) {
            Backends.resolve(b); // unusable or unknown: a one-line error before anything is written
        }

        boolean fixed = dartsSupernet || genotypeFile != null || networkFile != null;
        if (fixed && ((dartsSupernet ? 1 : 0) + (genotypeFile != null ? 1 : 0) + (networkFile != null ? 1 : 0) != 1
                || checkpoint != null || genomeFile != null || grow > 0 || closedGates > 0)) {
            throw bad("--darts-supernet, --genotype and --network each fix the network: use one, without --genome, --checkpoint, "
                    + "--grow or --closed-gates");
        }
        if ((networkFile != null) != (space != null)) {
            throw bad("--network and --space go together: the file's architecture space must be named");
        }
        ArchitectureSpace networkSpace = null;
        if (space != null) {
            try {
                networkSpace = ArchitectureSpaces.require(space);
            } catch (IllegalArgumentException e) {
                throw bad("--space: " + e.getMessage());
            }
        }
        if (dartsSupernet && !mixing.equalsIgnoreCase("softmax")) {
            throw bad("--mixing " + mixing + ": the twin checks softmax mixing only (it does not reproduce the engine's Gumbel noise)");
        }

        Genome genome = null; // SpiderNet's networks only: their metrics are timed on it
        Architecture architecture;
        Map<String, double[]> weights;
        boolean[] pruned = null;
        if (checkpoint != null) {
            genome = GenomeJson.read(checkpoint.resolve(Checkpoint.GENOME));
            architecture = GenomeLowering.lower(genome);
            weights = WeightsFile.read(checkpoint.resolve(Checkpoint.WEIGHTS));
            pruned = prunedGates(checkpoint.resolve(Checkpoint.STATE));
        } else {
            if (dartsSupernet) {
                architecture = DartsLowering.supernet(new DartsSkeleton(InputSpec.FASHION_MNIST, channels, layers),
                        AlphaGroup.Mixing.SOFTMAX);
            } else if (networkFile != null) {
                String json = org.spidernet.io.TextFiles.readUtf8(networkFile, space + " network file");
                try {
                    architecture = networkSpace.lower(json);
                } catch (org.spidernet.graph.InvalidGenomeException e) {
                    throw new org.spidernet.graph.InvalidGenomeException(networkFile + ": " + e.getMessage());
                }
            } else if (genotypeFile != null) {
                DartsNetwork n = DartsNetworkJson.read(genotypeFile);
                architecture = n.lower();
            } else {
                genome = genomeFile != null ? GenomeJson.read(genomeFile)
                        : Genome.initial(InputSpec.FASHION_MNIST, channels, reductions);
                genome = grown(genome, grow, new SplittableRandom(seed ^ 0x67726F77L));
                architecture = GenomeLowering.lower(genome);
            }
            weights = freshWeights(architecture, seed, closedGates);
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(ARCHITECTURE), ArchitectureJson.write(architecture));
        if (genome != null) {
            AtomicFiles.writeString(out.resolve(Checkpoint.GENOME), GenomeJson.write(genome));
            // the scoring variants the metrics build, so the twin times them on the same graphs
            AtomicFiles.writeString(out.resolve(NTK_ARCHITECTURE), ArchitectureJson.write(GenomeLowering.lower(
                    new Genome(genome.input(), ntkWidth > 0 ? ntkWidth : genome.channels(), genome.reductions(), genome.cells()))));
            AtomicFiles.writeString(out.resolve(LRC_ARCHITECTURE), ArchitectureJson.write(
                    GenomeLowering.lower(LinearRegionCount.thinGenome(genome), false)));
        }
        WeightsFile.write(out.resolve(Checkpoint.WEIGHTS), weights);

        NodeOp.Input in = architecture.input();
        int classes = architecture.classes();
        Random r = new Random(seed * 31 + 7);
        double[] images = new double[checkBatch * in.channels() * in.height() * in.width()];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian(); // float32-representable: both backends see the same input
        }
        int[] labels = new int[checkBatch];
        for (int i = 0; i < checkBatch; i++) {
            labels[i] = r.nextInt(classes);
        }
        for (String b : backends) {
            TensorDump d = step(b, architecture, weights, pruned, images, labels);
            d.write(out, "step-" + d.meta().get("backend").asText());
            LOG.info(String.format(Locale.ROOT, "twin: %s step, batch %d: loss %.12g", b, checkBatch, d.meta().get("loss").asDouble()));
        }
        if (timeBatch > 0) {
            TwinTimings t = new TwinTimings(timeBackend, architecture, genome, weights, pruned, seed);
            ObjectNode timing = MAPPER.createObjectNode();
            timing.set("train_step", t.trainStep(timeBatch, warmup, steps, dropPath));
            ObjectNode m = timing.putObject("metrics");
            for (String name : metrics) {
                if (!name.isBlank()) {
                    m.set(name, t.metric(name.trim(), metricSettings(), metricReps, metricSeconds));
                }
            }
            AtomicFiles.writeString(out.resolve("timing.json"), MAPPER.writeValueAsString(timing) + "\n");
        }
        return 0;
    }

    private TwinTimings.MetricSettings metricSettings() {
        return new TwinTimings.MetricSettings(metricBatch, ntkBatches, ntkWidth, lrcBatches, lrcCrops);
    }

    /** {@code n} edge splits, each of a uniformly chosen edge of a uniformly chosen cell. */
    static Genome grown(Genome g, int n, SplittableRandom r) {
        for (int i = 0; i < n; i++) {
            int cell = r.nextInt(g.cells().size());
            List<EdgeSplit> c = EdgeSplit.candidates(g, cell);
            g = c.get(r.nextInt(c.size())).applyTo(g);
        }
        return g;
    }

    /**
     * Seeded initial weights (Kaiming fan_in, as training starts) with the symmetric values
     * perturbed and {@code closed} gates shut (see the class comment).
     */
    static Map<String, double[]> freshWeights(Architecture architecture, long seed, int closed) {
        Map<String, double[]> w;
        try (Backend be = Backends.resolve("reference").open();
             Network net = Network.bind(ExecutionPlan.compile(architecture, 2, be.bytesPerElement(), PlanOptions.TRAINING), be)) {
            net.initialize(seed, InitScheme.FAN_IN);
            w = new LinkedHashMap<>(net.exportState());
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x6A697474L);
        List<String> gates = new ArrayList<>();
        for (Map.Entry<String, double[]> e : w.entrySet()) {
            String k = e.getKey();
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                if (k.startsWith("gate/")) {
                    v[i] = 0.005 + 0.04 * r.nextDouble();
                } else if (k.endsWith(".gamma") || k.endsWith(".running_var")) {
                    v[i] = 0.5 + r.nextDouble();
                } else if (k.endsWith(".beta") || k.endsWith(".running_mean")) {
                    v[i] = 0.4 * r.nextDouble() - 0.2;
                } else if (k.startsWith("alpha/")) {
                    // mixing weights from about 0.05 to 0.35 over 8 choices instead of 1/8 each
                    v[i] = 2 * r.nextDouble() - 1;
                }
            }
            if (k.startsWith("gate/")) {
                gates.add(k);
            }
        }
        if (closed > gates.size()) {
            throw new IllegalArgumentException("--closed-gates " + closed + ": the network has only " + gates.size() + " gates");
        }
        for (int i = 0; i < closed; i++) {
            int j = i + r.nextInt(gates.size() - i);
            String pick = gates.get(j);
            gates.set(j, gates.get(i));
            gates.set(i, pick);
            w.get(pick)[0] = -w.get(pick)[0];
        }
        return w;
    }

    /** The deletion rule's pruned gates from a search checkpoint's state, in plan order; null when none are recorded. */
    static boolean[] prunedGates(Path stateFile) throws java.io.IOException {
        if (!Files.isRegularFile(stateFile)) {
            return null;
        }
        JsonNode p = MAPPER.readTree(stateFile.toFile()).path("trainer").path("pruned");
        if (!p.isArray()) {
            return null;
        }
        boolean[] b = new boolean[p.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = p.get(i).asBoolean();
        }
        return b;
    }

    /** Binds the network on a backend with the given state and pruned gates (checked against the plan). */
    static Network open(Backend be, Architecture architecture, int batch, Map<String, double[]> weights, boolean[] pruned) {
        Network net = Network.bind(ExecutionPlan.compile(architecture, batch, be.bytesPerElement(), PlanOptions.TRAINING), be);
        try {
            net.importState(weights);
            if (pruned != null) {
                if (pruned.length != net.plan().gates().size()) {
                    throw new IllegalArgumentException("checkpoint state lists " + pruned.length + " pruned flags, the genome has "
                            + net.plan().gates().size() + " gates");
                }
                for (int g = 0; g < pruned.length; g++) {
                    if (pruned[g]) {
                        net.prune(g);
                    }
                }
            }
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** One training-mode forward and backward pass with drop-path off, everything the twin compares. */
    static TensorDump step(String backend, Architecture architecture, Map<String, double[]> weights, boolean[] pruned,
                           double[] images, int[] labels) {
        int batch = labels.length;
        NodeOp.Input in = architecture.input();
        TensorDump d = new TensorDump();
        try (Backend be = Backends.resolve(backend).open();
             Network net = open(be, architecture, batch, weights, pruned)) {
            net.forward(images, true, 0.0, null);
            double loss = net.backward(labels);
            ExecutionPlan plan = net.plan();
            d.meta().put("backend", be.name());
            d.meta().put("bytes_per_element", be.bytesPerElement());
            d.meta().put("batch", batch);
            d.meta().put("loss", loss);
            d.meta().put("params", plan.parameterCount());
            ArrayNode heads = d.meta().putArray("heads");
            ArrayNode gates = d.meta().putArray("gates");
            d.put("input", new int[]{batch, in.channels(), in.height(), in.width()}, images);
            double[] lab = new double[batch];
            for (int i = 0; i < batch; i++) {
                lab[i] = labels[i];
            }
            d.put("labels", new int[]{batch}, lab);
            d.put("loss", new int[]{1}, new double[]{loss});
            for (HeadSpec h : plan.heads()) {
                String node = architecture.node(architecture.heads().get(h.cell()).node()).name();
                ObjectNode hn = heads.addObject();
                hn.put("node", node);
                hn.put("loss_weight", h.lossWeight());
                d.put("logits/" + node, new int[]{batch, architecture.classes()}, be.download(net.tensor(h.logits())));
            }
            for (ParamSpec p : plan.parameters()) {
                d.put("grad/" + p.name(), net.tensor(p.grad()).shape(), be.download(net.tensor(p.grad())));
            }
            double[] gg = net.gateGradients();
            for (GateSpec g : plan.gates()) {
                ObjectNode gn = gates.addObject();
                gn.put("label", g.label());
                gn.put("open", net.gateOpen(g.index()));
                gn.put("pruned", net.isPruned(g.index()));
                if (!net.isPruned(g.index())) {
                    d.put("gate_grad/" + g.label(), new int[]{1}, new double[]{gg[g.index()]});
                }
            }
            double[] da = net.alphaGradients();
            for (int g = 0; g < architecture.alphas().size(); g++) {
                AlphaGroup group = architecture.alphas().get(g);
                int from = plan.alphaOffset(g);
                d.put("alpha_grad/" + group.name(), new int[]{group.rows(), group.width()},
                        java.util.Arrays.copyOfRange(da, from, from + group.size()));
            }
            for (Map.Entry<String, double[]> e : net.exportState().entrySet()) {
                if (e.getKey().endsWith(".running_mean") || e.getKey().endsWith(".running_var")) {
                    d.put("running/" + e.getKey(), new int[]{e.getValue().length}, e.getValue());
                }
            }
        }
        return d;
    }

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }
}
