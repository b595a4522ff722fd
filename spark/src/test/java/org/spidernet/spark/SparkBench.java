package org.spidernet.spark;

import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.InProcessEvaluation;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.OpenedEnvironment;
import org.spidernet.search.ScoreSplitJob;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchDefaults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * scripts/bench-spark's measurement: the wall time of scoring one SpiderNet mutation round's
 * candidate set (every split of every cell of the initial Fashion-MNIST genome, C=8, R=1, 2
 * inits, a tiny scoring scale, cpu backend) in-process and on Spark, and the per-job overhead
 * (a batch of jobs that do nothing). Every service is warmed first (executors load ND4J and the
 * data once), each time is the median of {@code REPS} batches, and every Spark batch's outcomes
 * are checked against the in-process ones.
 *
 * <p>Arguments: targets, each {@code in-process}, {@code local[N]} or {@code cluster:W} (a
 * standalone cluster of W one-core workers started for it by scripts/spark-cluster).
 */
public final class SparkBench {
    private static final int REPS = 3;
    private static final int TRIVIAL_JOBS = 48;

    private SparkBench() {
    }

    static List<Job> round() {
        Genome g = Genome.initial(InputSpec.FASHION_MNIST, 8, 1);
        ScoreSplitJob.Settings s = new ScoreSplitJob.Settings(SearchDefaults.METRICS, 2, new ScoringScale(1, 16, 1, 64),
                Batches.DATA, new BackendRef("cpu", null));
        List<Job> jobs = new ArrayList<>();
        long seed = 1;
        for (Cell c : g.cells()) {
            for (Edge e : c.edges()) {
                jobs.add(ScoreSplitJob.job(g, new EdgeSplit(c.index(), e.from(), e.to()), seed++, s));
            }
        }
        return jobs;
    }

    static List<Job> trivial() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < TRIVIAL_JOBS; i++) {
            jobs.add(TestJobKinds.Nothing.job(i));
        }
        return jobs;
    }

    private record Times(double roundS, double trivialS) {
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(System.getProperty("spidernet.spark.module", "spark")).toAbsolutePath();
        List<Job> round = round();
        List<Job> trivial = trivial();
        List<String> expected = null;
        Times base = null;
        System.out.printf("%-16s %11s %10s %9s %16s%n", "service", "parallelism", "round (s)", "speed-up", "overhead/job (ms)");
        for (String target : args) {
            Times t;
            if (target.equals("in-process")) {
                try (OpenedEnvironment env = new OpenedEnvironment()) {
                    InProcessEvaluation in = new InProcessEvaluation(env);
                    expected = Batches.json(in.run(round));
                    t = measure(in, round, trivial, expected);
                    base = t;
                    row("in-process", 1, t, base, trivial.size());
                }
            } else if (target.startsWith("cluster:")) {
                int workers = Integer.parseInt(target.substring("cluster:".length()));
                String url = cluster(module, "start", Integer.toString(workers)).strip().lines().reduce((a, b) -> b).orElseThrow();
                try (SparkEvaluation spark = SparkEvaluation.open(url, clusterConf(module))) {
                    t = measure(spark, round, trivial, expected);
                    row("cluster " + workers + "x1", spark.parallelism(), t, base, trivial.size());
                } finally {
                    cluster(module, "stop");
                }
            } else {
                try (SparkEvaluation spark = SparkEvaluation.open(target, Map.of("spark.ui.enabled", "false"))) {
                    t = measure(spark, round, trivial, expected);
                    row(target, spark.parallelism(), t, base, trivial.size());
                }
            }
        }
        System.out.printf("(%d jobs in the round, %d trivial jobs for the overhead, median of %d batches after a warm-up)%n",
                round.size(), trivial.size(), REPS);
    }

    private static void row(String name, int slots, Times t, Times base, int trivialJobs) {
        String speedup = base == null ? "-" : String.format("%.2f", base.roundS() / t.roundS());
        String overhead = base == null ? "-" : String.format("%.1f", (t.trivialS() - base.trivialS()) * 1000 / trivialJobs);
        System.out.printf("%-16s %11d %10.2f %9s %16s%n", name, slots, t.roundS(), speedup, overhead);
        System.out.flush();
    }

    private static Times measure(EvaluationService service, List<Job> round, List<Job> trivial, List<String> expected) {
        List<String> warm = Batches.json(service.run(round));
        if (expected != null && !expected.equals(warm)) {
            throw new IllegalStateException(service.description() + ": outcomes differ from in-process ones");
        }
        service.run(trivial);
        double[] r = new double[REPS];
        double[] z = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            List<JobOutcome> out = service.run(round);
            r[i] = (System.nanoTime() - t0) / 1e9;
            if (expected != null && !expected.equals(Batches.json(out))) {
                throw new IllegalStateException(service.description() + ": outcomes differ from in-process ones");
            }
            t0 = System.nanoTime();
            service.run(trivial);
            z[i] = (System.nanoTime() - t0) / 1e9;
        }
        return new Times(median(r), median(z));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The ship directory's jars and the test classes (job kind test-nothing) for a cluster's executors. */
    private static Map<String, String> clusterConf(Path module) throws IOException {
        List<String> jars = new ArrayList<>();
        try (Stream<Path> ship = Files.list(module.resolve("target/ship"))) {
            ship.map(Path::toString).sorted().forEach(jars::add);
        }
        jars.add(module.resolve("target/bench/spidernet-spark-tests.jar").toString());
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.jars", String.join(",", jars));
        conf.put("spark.ui.enabled", "false");
        return conf;
    }

    private static String cluster(Path module, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", module.resolveSibling("scripts").resolve("spark-cluster").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("spark-cluster " + String.join(" ", args) + " failed");
        }
        return out;
    }
}
