package org.spidernet.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;
import org.spidernet.metrics.GradNorm;
import org.spidernet.metrics.HammingLogDet;
import org.spidernet.metrics.JacobianCovariance;
import org.spidernet.metrics.LinearRegionCount;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.metrics.MetricResult;
import org.spidernet.metrics.NtkConditionNumber;
import org.spidernet.metrics.ScoringContext;
import org.spidernet.metrics.Snip;
import org.spidernet.metrics.TrainFreeMetric;

import java.util.concurrent.TimeUnit;

/**
 * One train-free scoring of a network: each invocation scores the genome with a fresh seed (a new
 * network built and initialised, as a search scores a candidate), so the score is networks scored
 * per second. {@code settings=spidernet} uses each metric's defaults (SpiderNet's for ntk and
 * lrc: width 3, 3 x 64 samples; 3 x 1000 crops; the references' batches elsewhere);
 * {@code settings=small} (what {@code scripts/bench --quick} runs) shrinks the per-score work
 * (ntk 1 x 16, lrc 1 x 250, naswot 16, other batches 32) so every metric fits a few seconds on 2
 * cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class MetricScoringBenchmark {

    @Param({"ntk", "ntk_centred", "lrc", "naswot", "naswot_v2", "synflow", "snip", "grad_norm", "params", "macs"})
    public String metric;

    @Param({"cpu"})
    public String backend;

    @Param({"initial"})
    public String net;

    @Param({"8"})
    public int channels;

    @Param({"spidernet"})
    public String settings;

    private Backend be;
    private ScoringContext ctx;
    private TrainFreeMetric m;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.resolve(backend).open();
        var genome = BenchmarkNets.genome(net, channels, 2);
        InputSpec in = genome.input();
        // seeded random images: scoring cost does not depend on what they show, and no dataset is needed
        ctx = ScoringContext.of(be, genome, 1,
                ImageDataset.uniformRandom(512, in.channels(), in.height(), in.width(), in.classes(), 5));
        m = metric(metric, settings);
    }

    static TrainFreeMetric metric(String name, String settings) {
        return switch (settings) {
            case "spidernet" -> MetricRegistry.byName(name);
            case "small" -> switch (name) {
                case NtkConditionNumber.NAME -> new NtkConditionNumber(3, 1, 16, false);
                case NtkConditionNumber.CENTRED_NAME -> new NtkConditionNumber(3, 1, 16, true);
                case LinearRegionCount.NAME -> new LinearRegionCount(1, 250);
                case JacobianCovariance.NAME -> new JacobianCovariance(0, 16); // N backward passes of N samples each
                case HammingLogDet.NAME -> new HammingLogDet(0, 32);
                case Snip.NAME -> new Snip(0, 32);
                case GradNorm.NAME -> new GradNorm(0, 32);
                default -> MetricRegistry.byName(name); // synflow, params, macs: no batch to shrink
            };
            default -> throw new IllegalArgumentException("unknown settings '" + settings + "' (known: spidernet, small)");
        };
    }

    @Benchmark
    public MetricResult score() {
        return m.score(ctx.withSeed(++seed));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }
}
