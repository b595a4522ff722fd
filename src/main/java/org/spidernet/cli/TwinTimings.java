package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.metrics.GradNorm;
import org.spidernet.metrics.HammingLogDet;
import org.spidernet.metrics.JacobianCovariance;
import org.spidernet.metrics.LinearRegionCount;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.metrics.MetricResult;
import org.spidernet.metrics.NtkConditionNumber;
import org.spidernet.metrics.ScoringContext;
import org.spidernet.metrics.Snip;
import org.spidernet.metrics.Synflow;
import org.spidernet.metrics.TrainFreeMetric;
import org.spidernet.train.ParameterTensors;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The engine's figures for the PyTorch twin's table, taken with the twin's settings: seconds per
 * training step (forward, weighted loss over every head, backward, SGD with momentum 0.9 and
 * weight decay 3e-4 on every parameter and gate, gates clamped to +-0.05 first, as the trainer
 * steps; a supernet's alphas stay fixed, as in the weight half of a DARTS step) and networks
 * scored per second for each train-free metric (SpiderNet genomes only). A timing loop printing a
 * table, not a test; JMH ({@code benchmarks/}) guards the same paths against regressions.
 */
final class TwinTimings {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final double LEARNING_RATE = 0.01;
    static final double MOMENTUM = 0.9;
    static final double WEIGHT_DECAY = 3e-4;
    static final double GATE_CLAMP = 0.05;

    /** Settings shared with the twin: they decide how much work one scoring is. */
    record MetricSettings(int batch, int ntkBatches, int ntkWidth, int lrcBatches, int lrcCrops) {
    }

    private final String backend;
    private final Architecture architecture;
    /** The genome the architecture was lowered from, or null outside SpiderNet's space (no metrics then). */
    private final Genome genome;
    private final Map<String, double[]> weights;
    private final boolean[] pruned;
    private final long seed;

    TwinTimings(String backend, Architecture architecture, Genome genome, Map<String, double[]> weights, boolean[] pruned,
                long seed) {
        this.backend = backend;
        this.architecture = architecture;
        this.genome = genome;
        this.weights = weights;
        this.pruned = pruned;
        this.seed = seed;
    }

    /** Times {@code steps} training steps after {@code warmup} untimed ones; per-step seconds and the peaks. */
    ObjectNode trainStep(int batch, int warmup, int steps, double dropPath) {
        NodeOp.Input in = architecture.input();
        Random r = new Random(seed + 11);
        float[] images = new float[batch * in.channels() * in.height() * in.width()];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(architecture.classes());
        }
        Random drop = new Random(seed + 13);
        double[] seconds = new double[steps];
        ObjectNode o = MAPPER.createObjectNode();
        try (Backend be = Backends.resolve(backend).open()) {
            be.resetPeak();
            try (Network net = TwinCommand.open(be, architecture, batch, weights, pruned)) {
                double[] gateVelocity = new double[net.gateWeights().length];
                ParameterTensors parameters = ParameterTensors.of(net);
                net.setLearningRate(LEARNING_RATE);
                for (int s = 0; s < warmup + steps; s++) {
                    long t0 = System.nanoTime();
                    net.forward(images, true, dropPath, drop);
                    net.backward(labels);
                    parameters.step(be, MOMENTUM, WEIGHT_DECAY);
                    stepGates(net, gateVelocity);
                    be.synchronize();
                    if (s >= warmup) {
                        seconds[s - warmup] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                o.put("backend", be.name());
                o.put("batch", batch);
                o.put("drop_path", dropPath);
                o.put("warmup", warmup);
                ArrayNode a = o.putArray("seconds");
                for (double t : seconds) {
                    a.add(t);
                }
                o.put("median_seconds", median(seconds));
                o.put("images_per_second", batch / median(seconds));
                o.put("planned_peak_bytes", net.plan().memoryPlan().peakBytes());
                o.put("measured_peak_bytes", be.memory().peakBytes());
                o.put("params", net.plan().parameterCount());
            }
        }
        return o;
    }

    private static void stepGates(Network net, double[] velocity) {
        double[] w = net.gateWeights();
        double[] g = net.gateGradients();
        for (int i = 0; i < w.length; i++) {
            if (net.isPruned(i)) {
                continue;
            }
            w[i] = Math.max(-GATE_CLAMP, Math.min(GATE_CLAMP, w[i]));
            velocity[i] = MOMENTUM * velocity[i] + g[i] + WEIGHT_DECAY * w[i];
            w[i] -= LEARNING_RATE * velocity[i];
        }
    }

    /** The engine's metric of that name with the twin's settings. */
    static TrainFreeMetric metric(String name, MetricSettings s) {
        return switch (name) {
            case NtkConditionNumber.NAME -> new NtkConditionNumber(s.ntkWidth(), s.ntkBatches(), s.batch(), false);
            case NtkConditionNumber.CENTRED_NAME -> new NtkConditionNumber(s.ntkWidth(), s.ntkBatches(), s.batch(), true);
            case LinearRegionCount.NAME -> new LinearRegionCount(s.lrcBatches(), s.lrcCrops());
            case JacobianCovariance.NAME -> new JacobianCovariance(0, s.batch());
            case HammingLogDet.NAME -> new HammingLogDet(0, s.batch());
            case Synflow.NAME -> new Synflow(0);
            case Snip.NAME -> new Snip(0, s.batch());
            case GradNorm.NAME -> new GradNorm(0, s.batch());
            default -> MetricRegistry.byName(name);
        };
    }

    /**
     * Scores the genome (a fresh seeded network each time, as a search scores candidates) until at
     * least {@code reps} scorings and {@code minSeconds} have passed, after one untimed scoring.
     */
    ObjectNode metric(String name, MetricSettings s, int reps, double minSeconds) {
        if (genome == null) {
            throw new IllegalArgumentException("metric '" + name + "': train-free metrics score SpiderNet genomes, not this network");
        }
        TrainFreeMetric m = metric(name, s);
        InputSpec in = genome.input();
        // scoring cost does not depend on what the images show
        ImageDataset images = ImageDataset.uniformRandom(512, in.channels(), in.height(), in.width(), in.classes(), seed + 17);
        ObjectNode o = MAPPER.createObjectNode();
        try (Backend be = Backends.resolve(backend).open()) {
            ScoringContext ctx = ScoringContext.of(be, genome, seed, images);
            MetricResult last = m.score(ctx);
            int n = 0;
            long t0 = System.nanoTime();
            double elapsed = 0;
            while (n < reps || elapsed < minSeconds) {
                last = m.score(ctx.withSeed(seed + 1 + n));
                n++;
                elapsed = (System.nanoTime() - t0) / 1e9;
            }
            o.put("backend", be.name());
            o.put("scorings", n);
            o.put("seconds", elapsed);
            o.put("networks_per_second", n / elapsed);
            o.put("last", last.toString());
        }
        return o;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
