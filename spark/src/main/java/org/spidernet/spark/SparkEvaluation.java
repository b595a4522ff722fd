package org.spidernet.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import scala.Tuple2;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs batches of jobs on Apache Spark, one task per job. The master is Spark's: {@code local[N]}
 * (N task threads in this JVM), {@code local[N,F]} (also retrying a failed task up to F times) or
 * {@code spark://HOST:PORT} (a standalone cluster). Executors run each job's wire form through
 * {@link org.spidernet.jobs.JobKinds#run(String, org.spidernet.jobs.JobEnvironment)} on their
 * JVM's environment ({@link ExecutorEnvironment}); Spark retries a task whose executor was lost
 * or that threw, and a job that still fails ends the batch with an {@link IllegalStateException}
 * naming it.
 *
 * <p>On a cluster the executors need the engine's classes: {@code spark.jars} when given (as
 * spark-submit sets it), otherwise every jar in the ship directory that scripts/spidernet-spark
 * prepares ({@code spark/target/ship}; found through the system property
 * {@value #SHIP_PROPERTY} or next to this module's own jar or classes).
 */
public final class SparkEvaluation implements EvaluationService {
    /** System property naming the directory of jars to ship to a cluster's executors. */
    public static final String SHIP_PROPERTY = "spidernet.spark.ship";
    /** How long opening waits for a cluster's first executor before giving up. */
    static final long EXECUTOR_WAIT_MS = 60_000;

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:[1-9][0-9]{0,4}|\\[[0-9A-Fa-f:.]+]:[1-9][0-9]{0,4}");
    private static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";
    private static final Pattern FAILED_TASK = Pattern.compile("Task (\\d+) in stage \\S+ failed");
    private static final Pattern MOST_RECENT = Pattern.compile("most recent failure: (?:Lost task \\S+ in stage \\S+ \\([^)]*\\)(?: \\([^)]*\\))?: )?(.*)");

    private final JavaSparkContext context;
    private final String master;

    private SparkEvaluation(JavaSparkContext context, String master) {
        this.context = context;
        this.master = master;
    }

    /**
     * Starts a Spark application {@code spidernet} at {@code master} with the Spark settings
     * {@code conf} on top of those from system properties (spark-submit's).
     *
     * @throws IllegalArgumentException when the master is malformed or nothing can be shipped to a cluster
     */
    public static SparkEvaluation open(String master, Map<String, String> conf) {
        checkMaster(master);
        SparkConf sc = new SparkConf().setMaster(master).setAppName("spidernet");
        conf.forEach(sc::set);
        boolean cluster = master.startsWith("spark://");
        if (cluster) {
            if (!sc.contains("spark.jars")) {
                sc.set("spark.jars", String.join(",", shipJars(master)));
            }
            String opts = sc.get("spark.executor.extraJavaOptions", "");
            if (!opts.contains("jdk.incubator.vector")) {
                sc.set("spark.executor.extraJavaOptions", (opts + " " + VECTOR_FLAG).trim());
            }
            // a cluster listening on the loopback interface reaches a driver only there, whatever
            // this machine's name resolves to
            if (!sc.contains("spark.driver.host") && loopback(master)) {
                sc.set("spark.driver.host", "127.0.0.1");
            }
        }
        JavaSparkContext context = new JavaSparkContext(sc);
        try {
            if (cluster) {
                awaitExecutors(context, master);
            }
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return new SparkEvaluation(context, master);
    }

    /** One line naming {@code --spark} and the value when {@code master} is not a Spark master we run on. */
    static void checkMaster(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--spark: a master is needed: local[N], local[N,F] or spark://HOST:PORT");
        }
        if (LOCAL.matcher(master).matches()) {
            return;
        }
        if (master.startsWith("spark://")) {
            String rest = master.substring("spark://".length());
            boolean ok = !rest.isEmpty();
            for (String hp : rest.split(",", -1)) {
                ok &= HOST_PORT.matcher(hp).matches() && port(hp) <= 65535;
            }
            if (ok) {
                return;
            }
        }
        throw new IllegalArgumentException("--spark: '" + master.strip().replaceAll("\\s+", " ")
                + "' is not a Spark master (expected local[N], local[N,F] or spark://HOST:PORT)");
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static boolean loopback(String master) {
        String rest = master.substring("spark://".length());
        for (String hp : rest.split(",")) {
            String host = hp.substring(0, hp.lastIndexOf(':'));
            if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
                return false;
            }
        }
        return true;
    }

    /** The jars of the ship directory, which must hold the engine's jar. */
    static List<String> shipJars(String master) {
        Path dir = shipDirectory();
        if (dir == null) {
            throw new IllegalArgumentException("--spark " + master + ": no engine jars to ship to the executors: run "
                    + "scripts/spidernet-spark (it fills spark/target/ship), set -D" + SHIP_PROPERTY
                    + "=DIR or --spark-conf spark.jars=JAR,...");
        }
        List<String> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted(Comparator.comparing(Path::toString))
                    .map(p -> p.toAbsolutePath().toString()).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--spark " + master + ": cannot list the ship directory " + dir + ": " + e.getMessage());
        }
        if (jars.stream().noneMatch(j -> Path.of(j).getFileName().toString().startsWith("spidernet-0"))) {
            throw new IllegalArgumentException("--spark " + master + ": the ship directory " + dir
                    + " holds no engine jar (spidernet-VERSION.jar): run spark/scripts/spark-layout after building the module");
        }
        return jars;
    }

    /** {@value #SHIP_PROPERTY}, else {@code ship} beside this module's jar or classes directory (spark/target). */
    static Path shipDirectory() {
        String prop = System.getProperty(SHIP_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Files.isDirectory(Path.of(prop)) ? Path.of(prop) : null;
        }
        try {
            Path code = Path.of(SparkEvaluation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path ship = code.getParent().resolve("ship");
            return Files.isDirectory(ship) ? ship : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** A cluster's executors register after the application starts; without one no job would ever run. */
    private static void awaitExecutors(JavaSparkContext context, String master) {
        long deadline = System.currentTimeMillis() + EXECUTOR_WAIT_MS;
        while (executors(context) == 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("--spark " + master + ": no executor registered in " + EXECUTOR_WAIT_MS / 1000
                        + " s: are the workers up, with free cores and memory (spark.executor.memory)?");
            }
            sleep(200);
        }
        // the other workers' executors register moments after the first
        int seen = -1;
        for (int i = 0; i < 20 && executors(context) != seen; i++) {
            seen = executors(context);
            sleep(500);
        }
    }

    private static int executors(JavaSparkContext context) {
        // the driver's own block manager is listed too
        return context.sc().getExecutorMemoryStatus().size() - 1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark executors", e);
        }
    }

    @Override
    public List<JobOutcome> run(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<Tuple2<Integer, String>> wire = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            wire.add(new Tuple2<>(i, jobs.get(i).toJson()));
        }
        List<Tuple2<Integer, String>> done;
        try {
            // one slice per job: a task is one job, so Spark spreads, retries and reports jobs one by one
            done = context.parallelize(wire, jobs.size()).map(new RunJob()).collect();
        } catch (Exception e) {
            // Scala throws SparkException (checked in Java) undeclared
            if (e instanceof SparkException se) {
                throw fault(jobs, se);
            }
            if (e.getCause() instanceof SparkException se) {
                throw fault(jobs, se);
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException("spark: " + e.getMessage(), e);
        }
        JobOutcome[] out = new JobOutcome[jobs.size()];
        for (Tuple2<Integer, String> d : done) {
            out[d._1()] = JobOutcome.fromJson(d._2());
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new IllegalStateException("spark: job " + i + " (" + jobs.get(i).kind() + ") gave no outcome");
            }
        }
        return List.of(out);
    }

    /** The job whose task failed past Spark's retries, by the task's index (= the job's: one slice per job). */
    static IllegalStateException fault(List<Job> jobs, SparkException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher cause = MOST_RECENT.matcher(msg);
        String why = cause.find() ? cause.group(1).strip() : msg.lines().findFirst().orElse("").strip();
        Matcher task = FAILED_TASK.matcher(msg);
        if (task.find()) {
            int i = Integer.parseInt(task.group(1));
            if (i < jobs.size()) {
                return new IllegalStateException("spark: job " + i + " (" + jobs.get(i).kind()
                        + ") failed after Spark's retries: " + why, e);
            }
        }
        return new IllegalStateException("spark: a job of the batch failed after Spark's retries: " + why, e);
    }

    @Override
    public int parallelism() {
        return context.defaultParallelism();
    }

    @Override
    public String description() {
        int slots = parallelism();
        return "spark " + master + ", " + slots + " task slot" + (slots == 1 ? "" : "s");
    }

    /** The Spark context, for tests and tools that need Spark's own view (executors, status). */
    JavaSparkContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
