package org.spidernet.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.jobs.InProcessEvaluation;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.OpenedEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone cluster on this machine (scripts/spark-cluster start 2: a master and two
 * one-core workers whose executors are JVMs of their own): the same outcomes as in-process, the
 * tasks ran in the executors, and a batch survives the loss of an executor. Skipped, with the
 * reason, when the cluster cannot start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path CLUSTER_SCRIPT = MODULE.resolveSibling("scripts").resolve("spark-cluster");
    private static boolean started;
    private static SparkEvaluation spark;

    @BeforeAll
    static void startCluster() throws Exception {
        // the ship directory from this build's class path (spark-layout), not an older one
        Run layout = run(List.of("bash", MODULE.resolve("scripts/spark-layout").toString()), 120);
        Assumptions.assumeTrue(layout.exit() == 0, () -> "spark-layout failed: " + layout.out());
        Run start = run(List.of("bash", CLUSTER_SCRIPT.toString(), "start", "2"), 150);
        Assumptions.assumeTrue(start.exit() == 0, () -> "cannot start a standalone cluster: " + start.out());
        started = true;
        String url = start.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        // no spark.jars: SparkEvaluation ships the directory the property names, as the launcher sets it
        String before = System.setProperty(SparkEvaluation.SHIP_PROPERTY, shipDirectory().toString());
        try {
            spark = SparkEvaluation.open(url, Map.of("spark.ui.enabled", "false"));
        } finally {
            if (before == null) {
                System.clearProperty(SparkEvaluation.SHIP_PROPERTY);
            } else {
                System.setProperty(SparkEvaluation.SHIP_PROPERTY, before);
            }
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (spark != null) {
                spark.close();
            }
        } finally {
            if (started) {
                run(List.of("bash", CLUSTER_SCRIPT.toString(), "stop"), 60);
            }
        }
    }

    /**
     * A ship directory like the launcher's: the engine and its dependencies from target/ship (links),
     * and, instead of the module's packaged jar, this build's classes and test classes as one jar.
     */
    private static Path shipDirectory() throws IOException {
        Path dir = MODULE.resolve("target/cluster-test/ship");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        try (Stream<Path> ship = Files.list(MODULE.resolve("target/ship"))) {
            for (Path p : ship.filter(p -> !p.getFileName().toString().startsWith("spidernet-spark")).toList()) {
                Files.createSymbolicLink(dir.resolve(p.getFileName()), p);
            }
        }
        Path jar = dir.resolve("spidernet-spark-with-tests.jar");
        Set<String> seen = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path classes : List.of(MODULE.resolve("target/classes"), MODULE.resolve("target/test-classes"))) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = classes.relativize(f).toString().replace('\\', '/');
                        if (seen.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            Files.copy(f, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        return dir;
    }

    @Test
    @Order(1)
    void scoreSplitOutcomesEqualInProcessOnesBitForBit() {
        assertEquals(Batches.scoreSplitsInProcess(), Batches.json(spark.run(Batches.scoreSplits())));
    }

    @Test
    @Order(2)
    void theTasksRanInTheWorkersExecutorJvms() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(TestJobKinds.Where.job(i, 300));
        }
        List<JobOutcome> got = spark.run(jobs);
        Set<Long> executors = executorPids();
        Set<Long> ran = new HashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(TestJobKinds.checksum(i), got.get(i).value().get("value").asDouble(), 0.0);
            ran.add(got.get(i).value().get("pid").asLong());
        }
        assertFalse(ran.contains(ProcessHandle.current().pid()), "a task ran in the driver");
        assertTrue(executors.containsAll(ran), "tasks ran in " + ran + "; executor JVMs: " + executors);
        assertEquals(2, ran.size(), "both one-core executors took tasks: " + ran);
        assertTrue(spark.description().matches("spark spark://127\\.0\\.0\\.1:\\d+, 2 task slots"), spark.description());
    }

    @Test
    @Order(3)
    void aJobThatFaultsOnEveryTryIsNamedAfterSparksRetries() {
        List<Job> jobs = List.of(TestJobKinds.Nothing.job(0), TestJobKinds.Fault.job(9), TestJobKinds.Nothing.job(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> spark.run(jobs));
        assertTrue(e.getMessage().startsWith("spark: job 1 (test-fault) failed after Spark's retries: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("java.lang.IllegalStateException: test fault 9"), e.getMessage());
        // a cluster retries (spark.task.maxFailures, 4 by default) before giving up
        assertTrue(e.getCause().getMessage().contains("failed 4 times"), e.getCause().getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    @Order(4)
    void aBatchSurvivesTheLossOfAnExecutorWithTheSameOutcomes(@TempDir Path started) throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(TestJobKinds.Slow.job(i, 1500, started));
        }
        long self = ProcessHandle.current().pid();
        // the in-process reference runs alongside (its markers carry this JVM's pid)
        CompletableFuture<List<String>> expected = CompletableFuture.supplyAsync(() -> {
            try (OpenedEnvironment env = new OpenedEnvironment()) {
                return Batches.json(new InProcessEvaluation(env).run(jobs));
            }
        });
        CompletableFuture<List<String>> onSpark = CompletableFuture.supplyAsync(() -> Batches.json(spark.run(jobs)));

        long victim = -1;
        long deadline = System.currentTimeMillis() + 60_000;
        while (victim < 0 && System.currentTimeMillis() < deadline) {
            Set<Long> executors = executorPids();
            for (Marker m : markers(started)) {
                if (m.pid() != self && executors.contains(m.pid())) {
                    victim = m.pid();
                }
            }
            Thread.sleep(50);
        }
        assertTrue(victim > 0, "no job started in an executor within 60 s");
        Run kill = run(List.of("kill", "-9", Long.toString(victim)), 10);
        assertEquals(0, kill.exit(), kill.out());
        long killed = victim;

        assertEquals(expected.get(60, TimeUnit.SECONDS), onSpark.get(180, TimeUnit.SECONDS));
        assertFalse(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false), "executor " + killed + " still alive");
        // what the killed executor was running ran again in another executor
        Map<Long, Set<Long>> pidsByJob = markers(started).stream().filter(m -> m.pid() != self)
                .collect(Collectors.groupingBy(Marker::job, Collectors.mapping(Marker::pid, Collectors.toSet())));
        List<Long> rerun = pidsByJob.entrySet().stream().filter(e -> e.getValue().contains(killed) && e.getValue().size() > 1)
                .map(Map.Entry::getKey).toList();
        assertFalse(rerun.isEmpty(), "no job of the killed executor " + killed + " ran elsewhere: " + pidsByJob);
        assertEquals(jobs.size(), pidsByJob.size());
        assertNotEquals(0, executorPids().size(), "the cluster has executors again");
    }

    private record Marker(long job, long pid) {
    }

    private static List<Marker> markers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString().split("-"))
                    .map(f -> new Marker(Long.parseLong(f[1]), Long.parseLong(f[3]))).toList();
        }
    }

    /** The executor JVMs on this machine, as the brief's operator would find them. */
    private static Set<Long> executorPids() throws Exception {
        Run r = run(List.of("pgrep", "-f", "CoarseGrainedExecutorBackend"), 10);
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).collect(Collectors.toSet());
    }

    private record Run(int exit, String out) {
    }

    private static Run run(List<String> command, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

}
