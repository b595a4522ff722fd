package org.spidernet.spark;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real standalone cluster on this machine for the tests (scripts/spark-cluster: a master and
 * one-core workers whose executors are JVMs of their own), the ship directory the driver sends
 * them, and the executor processes as an operator finds them.
 */
final class StandaloneCluster {
    static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path CLUSTER_SCRIPT = MODULE.resolveSibling("scripts").resolve("spark-cluster");

    private StandaloneCluster() {
    }

    record Run(int exit, String out) {
    }

    /** Lays out this build's jars and starts {@code workers} workers; returns the master URL, or skips the test with the reason. */
    static String start(int workers) throws Exception {
        // the ship directory from this build's class path (spark-layout), not an older one
        Run layout = run(List.of("bash", MODULE.resolve("scripts/spark-layout").toString()), 120);
        Assumptions.assumeTrue(layout.exit() == 0, () -> "spark-layout failed: " + layout.out());
        Run start = run(List.of("bash", CLUSTER_SCRIPT.toString(), "start", Integer.toString(workers)), 150);
        Assumptions.assumeTrue(start.exit() == 0, () -> "cannot start a standalone cluster: " + start.out());
        return start.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    static void stop() throws Exception {
        run(List.of("bash", CLUSTER_SCRIPT.toString(), "stop"), 60);
    }

    /**
     * A ship directory like the launcher's: the engine and its dependencies from target/ship (links),
     * and, instead of the module's packaged jar, this build's classes and test classes as one jar.
     */
    static Path shipDirectory() throws IOException {
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

    /** The executor JVMs on this machine, as the brief's operator would find them. */
    static Set<Long> executorPids() throws Exception {
        Run r = run(List.of("pgrep", "-f", "CoarseGrainedExecutorBackend"), 10);
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).collect(Collectors.toSet());
    }


    /** An executor JVM of the cluster: its process, application and id, and its log (the worker's stderr file). */
    record Executor(long pid, String app, String id, Path log) {
        /** The task this executor is running now ("1.0 in stage 0.0"), read from its log; empty when none. */
        Optional<String> runningTask() throws IOException {
            if (!Files.isRegularFile(log)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(log);
            Set<String> finished = new HashSet<>();
            for (String l : lines) {
                Matcher m = FINISHED.matcher(l);
                if (m.find()) {
                    finished.add(m.group(1));
                }
            }
            for (String l : lines) {
                Matcher m = RUNNING.matcher(l);
                if (m.find() && !finished.contains(m.group(1))) {
                    return Optional.of(m.group(1));
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern RUNNING = Pattern.compile("Running task (\\S+ in stage \\S+)");
    private static final Pattern FINISHED = Pattern.compile("Finished task (\\S+ in stage \\S+)");
    private static final Pattern ARG = Pattern.compile("--(app-id|executor-id) (\\S+)");

    /** The executor JVMs on this machine with their application, id and log. */
    static List<Executor> executors() throws Exception {
        Run r = run(List.of("pgrep", "-af", "CoarseGrainedExecutorBackend"), 10);
        List<Executor> out = new ArrayList<>();
        for (String line : r.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String app = null;
            String id = null;
            Matcher m = ARG.matcher(line);
            while (m.find()) {
                if (m.group(1).equals("app-id")) {
                    app = m.group(2);
                } else {
                    id = m.group(2);
                }
            }
            if (app != null && id != null) {
                try (Stream<Path> work = Files.list(MODULE.resolve("target/cluster"))) {
                    for (Path w : work.filter(p -> p.getFileName().toString().startsWith("work-")).toList()) {
                        Path log = w.resolve(app).resolve(id).resolve("stderr");
                        if (Files.exists(log)) {
                            out.add(new Executor(Long.parseLong(line.split(" ", 2)[0]), app, id, log));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Whether some executor of {@code app} ran {@code task} again: attempt 1 of the same partition and stage. */
    static boolean ranAgain(String app, String task) throws IOException {
        String retry = task.replaceFirst("^(\\d+)\\.0 ", "$1.1 ");
        try (Stream<Path> logs = Files.walk(MODULE.resolve("target/cluster"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains(app)).toList()) {
                if (Files.readString(log).contains("Running task " + retry)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Run run(List<String> command, long timeoutSeconds) throws Exception {
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
