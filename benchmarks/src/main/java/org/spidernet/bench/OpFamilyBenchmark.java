package org.spidernet.bench;

import org.openjdk.jmh.annotations.AuxCounters;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Every op family the training step is made of, alone, on one activation shape: calls per second,
 * and, as JMH secondary results, the achieved {@code gbPerSecond} (compulsory bytes, see
 * {@link OpWorkload}) and {@code gflopPerSecond}. {@code scripts/bench} divides each op's GB/s by
 * the same run's {@code copy} GB/s: the fraction of the measured copy bandwidth a memory-bound
 * kernel reaches. With {@code -p backend=cuda} every call is one of the hand-written kernel
 * families; each invocation queues {@value #CALLS} calls and then waits for the device, so launch
 * latency overlaps with work the way it does inside a step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class OpFamilyBenchmark {
    static final int CALLS = 10;

    @Param({"cpu"})
    public String backend;

    /**
     * Activation shape NxCxHxW (JMH splits -p values at commas); the default is a batch of 64 at
     * C=16 on 32x32 images, 4 MiB in float32.
     */
    @Param({"64x16x32x32"})
    public String shape;

    @Param({"copy", "axpy", "relu", "relu_backward", "scale_add", "dot_per_sample", "sgd_momentum", "bn_train",
            "bn_backward", "max_pool", "max_pool_backward", "avg_pool", "subsample", "concat", "dw_conv3",
            "dw_conv3_bwd_data", "dw_conv3_bwd_filter", "dil_conv5", "pw_conv", "pw_conv_bwd_data",
            "pw_conv_bwd_filter", "conv3", "linear", "softmax_ce", "sign_agreement", "gram", "sgd_momentum_all",
            "augment"})
    public String op;

    private Backend be;
    private OpWorkload.Setup tensors;
    private Runnable call;
    private double bytesPerCall;
    private double flopsPerCall;

    /** Rates JMH reports beside the primary score: counted per invocation, divided by time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Traffic {
        public double gbPerSecond;
        public double gflopPerSecond;
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] dims;
        try {
            dims = Arrays.stream(shape.split("x")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } catch (NumberFormatException e) {
            dims = new int[0];
        }
        if (dims.length != 4 || Arrays.stream(dims).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("shape must be NxCxHxW with positive sizes, got " + shape);
        }
        OpWorkload w = OpWorkload.of(op);
        be = Backends.resolve(backend).open();
        tensors = new OpWorkload.Setup(be, dims, 11);
        call = w.bind(tensors);
        bytesPerCall = w.bytes(dims, be.bytesPerElement());
        flopsPerCall = w.flops(dims);
        System.out.printf("op-traffic: op=%s backend=%s shape=%s bytes/call=%.0f flops/call=%.0f%n", op, backend,
                shape, bytesPerCall, flopsPerCall);
        call.run(); // first call outside the timing: lazy workspace, kernel loading
        be.synchronize();
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public void run(Traffic t) {
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        be.synchronize();
        t.gbPerSecond += CALLS * bytesPerCall * 1e-9;
        t.gflopPerSecond += CALLS * flopsPerCall * 1e-9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tensors.close();
        be.close();
    }
}
