package org.spidernet.spark;

import org.junit.jupiter.api.AfterAll;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    private static boolean started;
    private static SparkEvaluation spark;

    @BeforeAll
    static void startCluster() throws Exception {
        String url = StandaloneCluster.start(2);
        started = true;
        // no spark.jars: SparkEvaluation ships the directory the property names, as the launcher sets it
        String before = System.setProperty(SparkEvaluation.SHIP_PROPERTY, StandaloneCluster.shipDirectory().toString());
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
                StandaloneCluster.stop();
            }
        }
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
        Set<Long> executors = StandaloneCluster.executorPids();
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
            Set<Long> executors = StandaloneCluster.executorPids();
            for (Marker m : markers(started)) {
                if (m.pid() != self && executors.contains(m.pid())) {
                    victim = m.pid();
                }
            }
            Thread.sleep(50);
        }
        assertTrue(victim > 0, "no job started in an executor within 60 s");
        StandaloneCluster.Run kill = StandaloneCluster.run(List.of("kill", "-9", Long.toString(victim)), 10);
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
        assertNotEquals(0, StandaloneCluster.executorPids().size(), "the cluster has executors again");
    }

    private record Marker(long job, long pid) {
    }

    private static List<Marker> markers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString().split("-"))
                    .map(f -> new Marker(Long.parseLong(f[1]), Long.parseLong(f[3]))).toList();
        }
    }

}
