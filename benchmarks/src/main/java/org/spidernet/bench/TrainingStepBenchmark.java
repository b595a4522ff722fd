package org.spidernet.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;
import org.spidernet.train.ParameterTensors;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One SGD training step (forward, loss over all heads, backward, momentum update of every
 * parameter) of a SpiderNet network on Fashion-MNIST-shaped input: the initial net, or a grown one
 * ({@link BenchmarkNets}). The score is images per second: each invocation trains on one batch of
 * {@value #BATCH} images. The plan's peak memory is printed once per trial as a
 * {@code planned-peak:} line (scripts/bench collects them above the table): it is exact by
 * construction, so it is a property of the network, not a timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class TrainingStepBenchmark {
    static final int BATCH = 64;

    @Param({"cpu"})
    public String backend;

    @Param({"12"})
    public int channels;

    @Param({"2"})
    public int reductions;

    @Param({"initial", "grown"})
    public String net;

    /** {@code shared}: the memory plan's shared slots (what train and search use); {@code unshared}: a tensor per buffer. */
    @Param({"shared"})
    public String memory;

    private Backend be;
    private Network network;
    private float[] images;
    private int[] labels;
    private Random dropRng;
    private ParameterTensors parameters;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.resolve(backend).open();
        Genome g = BenchmarkNets.genome(net, channels, reductions);
        PlanOptions options = switch (memory) {
            case "shared" -> PlanOptions.TRAINING;
            case "unshared" -> PlanOptions.TRAINING.withoutMemorySharing();
            default -> throw new IllegalArgumentException("memory must be shared or unshared, got " + memory);
        };
        ExecutionPlan plan = ExecutionPlan.compile(g, BATCH, be.bytesPerElement(), options);
        System.out.printf("planned-peak: training step, net=%s C=%d R=%d backend=%s memory=%s batch=%d: %.1f MiB (%d edges, %d params)%n",
                net, channels, reductions, backend, memory, BATCH, plan.memoryPlan().peakBytes() / 1048576.0, g.edgeCount(),
                plan.parameterCount());
        network = Network.bind(plan, be);
        network.initialize(42, InitScheme.FAN_IN);
        Random r = new Random(7);
        images = new float[BATCH * 28 * 28];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(10);
        }
        dropRng = new Random(3);
        parameters = ParameterTensors.of(network);
        network.setLearningRate(0.01);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double trainStep() {
        network.forward(images, true, 0.2, dropRng);
        double loss = network.backward(labels);
        parameters.step(be, 0.9, 3e-4);
        be.synchronize();
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
        be.close();
    }
}
