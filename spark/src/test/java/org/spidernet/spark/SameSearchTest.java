package org.spidernet.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.cli.SpiderNet;
import org.spidernet.data.DatasetRegistry;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance at the command line, on real data (Fashion-MNIST, cut small): a SpiderNet
 * search and a random search with one seed give the same found genome, weights and test accuracy
 * in-process, with {@code --spark local[2]} and on a real standalone cluster (a master and two
 * workers, executors in JVMs of their own), where the SpiderNet search loses an executor to kill -9
 * while it runs and still ends with the same genome. Skipped, with the reason,
 * without Fashion-MNIST (scripts/install-fashion-mnist) or when the cluster cannot start.
 */
class SameSearchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static String cluster;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        Optional<Path> data = DatasetRegistry.defaultDirectory("fashion-mnist");
        Assumptions.assumeTrue(data.isPresent() && Files.isDirectory(data.get()),
                "Fashion-MNIST is not installed (scripts/install-fashion-mnist)");
        cluster = StandaloneCluster.start(2);
        System.setProperty(SparkEvaluation.SHIP_PROPERTY, StandaloneCluster.shipDirectory().toString());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        System.clearProperty(SparkEvaluation.SHIP_PROPERTY);
        if (cluster != null) {
            StandaloneCluster.stop();
        }
    }

    /** What a run found: its genome and weights as written, and its test accuracy. */
    private record Found(byte[] genome, byte[] weights, double testAccuracy) {
    }

    private static Found search(String strategy, int iterations, String name, String... spark) throws Exception {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("search", "--strategy", strategy, "--dataset", "fashion-mnist",
                "--limit-train", "400", "--validation", "80", "--batch", "16", "--channels", "4", "--reductions", "1",
                "--iterations", Integer.toString(iterations), "--epochs-per-iteration", "1", "--final-epochs", "1",
                "--inits", "1", "--candidates", "2", "--backend", "cpu", "--seed", "11", "--no-progress", "--quiet",
                "--out", out.toString()));
        args.addAll(List.of(spark));
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        int exit;
        try {
            exit = SpiderNet.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(savedErr);
        }
        assertEquals(0, exit, name + ": " + err);
        return new Found(Files.readAllBytes(out.resolve("genome.json")), Files.readAllBytes(out.resolve("weights.bin")),
                MAPPER.readTree(out.resolve("summary.json").toFile()).get("test_accuracy").asDouble());
    }

    private static void same(Found expected, Found got, String what) {
        assertEquals(new String(expected.genome()), new String(got.genome()), what + ": found genome");
        assertArrayEquals(expected.weights(), got.weights(), what + ": weights");
        assertEquals(expected.testAccuracy(), got.testAccuracy(), 0.0, what + ": test accuracy");
    }

    @Test
    void randomSearchFindsTheSameNetworkInProcessEmbeddedAndOnTheCluster() throws Exception {
        Found in = search("random", 3, "random-in-process");
        same(in, search("random", 3, "random-local", "--spark", "local[2]"), "random, local[2]");
        same(in, search("random", 3, "random-cluster", "--spark", cluster), "random, " + cluster);
    }

    /** On the cluster an executor is killed while the search runs: its tasks run again on another. */
    @Test
    void spiderNetFindsTheSameNetworkInProcessEmbeddedAndOnAClusterThatLosesAnExecutor() throws Exception {
        Found in = search("spidernet", 2, "spidernet-in-process");
        same(in, search("spidernet", 2, "spidernet-local", "--spark", "local[2]"), "spidernet, local[2]");
        Set<Long> before = StandaloneCluster.executorPids();
        CompletableFuture<Found> onCluster = CompletableFuture.supplyAsync(() -> {
            try {
                return search("spidernet", 2, "spidernet-cluster", "--spark", cluster);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // an executor of the search's application, killed while its log says it runs a task (a mutation
        // round's scoring or a final step: whatever the search had sent it)
        StandaloneCluster.Executor victim = null;
        String task = null;
        long deadline = System.currentTimeMillis() + 120_000;
        while (victim == null && System.currentTimeMillis() < deadline && !onCluster.isDone()) {
            for (StandaloneCluster.Executor e : StandaloneCluster.executors()) {
                Optional<String> running = before.contains(e.pid()) ? Optional.empty() : e.runningTask();
                if (running.isPresent()) {
                    victim = e;
                    task = running.get();
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(victim != null, "no executor of the search ran a task within 120 s");
        StandaloneCluster.Run kill = StandaloneCluster.run(List.of("kill", "-9", Long.toString(victim.pid())), 10);
        assertEquals(0, kill.exit(), "the executor had exited before it could be killed: " + kill.out());
        same(in, onCluster.get(300, TimeUnit.SECONDS), "spidernet on " + cluster + " with executor " + victim.pid()
                + " killed running task " + task);
        assertFalse(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive).orElse(false), "executor still alive");
        assertTrue(StandaloneCluster.ranAgain(victim.app(), task), "task " + task + " of the killed executor was not run again");
    }
}
