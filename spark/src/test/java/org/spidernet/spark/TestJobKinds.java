package org.spidernet.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobEnvironment;
import org.spidernet.jobs.JobKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Job kinds for the tests only (registered in the test resources' META-INF/services). */
final class TestJobKinds {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestJobKinds() {
    }

    /**
     * {@code test-where}: the process that ran the job (its pid) and a number computed from the
     * spec, after sleeping {@code sleep_ms} so a batch spreads over every executor.
     */
    public static final class Where implements JobKind {
        @Override
        public String name() {
            return "test-where";
        }

        @Override
        public JsonNode run(ObjectNode spec, JobEnvironment env) {
            sleep(spec.path("sleep_ms").asLong());
            ObjectNode out = MAPPER.createObjectNode();
            out.put("pid", ProcessHandle.current().pid());
            out.put("thread", Thread.currentThread().getName());
            out.put("value", checksum(spec.path("n").asLong()));
            return out;
        }

        static Job job(long n, long sleepMs) {
            ObjectNode spec = MAPPER.createObjectNode();
            spec.put("n", n);
            spec.put("sleep_ms", sleepMs);
            return new Job("test-where", spec);
        }
    }

    /**
     * {@code test-slow}: announces itself in {@code started_dir} (a file named after the job and
     * its pid, so a test can kill the executor running it), sleeps {@code sleep_ms}, then gives a
     * number computed from {@code n} alone: the outcome is the same wherever and however often it ran.
     */
    public static final class Slow implements JobKind {
        @Override
        public String name() {
            return "test-slow";
        }

        @Override
        public JsonNode run(ObjectNode spec, JobEnvironment env) {
            long n = spec.path("n").asLong();
            try {
                Files.createFile(Path.of(spec.path("started_dir").asText())
                        .resolve("job-" + n + "-pid-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep(spec.path("sleep_ms").asLong());
            ObjectNode out = MAPPER.createObjectNode();
            out.put("n", n);
            out.put("value", checksum(n));
            return out;
        }

        static Job job(long n, long sleepMs, Path startedDir) {
            ObjectNode spec = MAPPER.createObjectNode();
            spec.put("n", n);
            spec.put("sleep_ms", sleepMs);
            spec.put("started_dir", startedDir.toAbsolutePath().toString());
            return new Job("test-slow", spec);
        }
    }

    /** {@code test-fault}: throws (not a typed failure): a fault Spark retries and then reports. */
    public static final class Fault implements JobKind {
        @Override
        public String name() {
            return "test-fault";
        }

        @Override
        public JsonNode run(ObjectNode spec, JobEnvironment env) {
            throw new IllegalStateException("test fault " + spec.path("n").asLong());
        }

        static Job job(long n) {
            ObjectNode spec = MAPPER.createObjectNode();
            spec.put("n", n);
            return new Job("test-fault", spec);
        }
    }

    /** {@code test-nothing}: returns its input at once: what a job costs beyond its own work. */
    public static final class Nothing implements JobKind {
        @Override
        public String name() {
            return "test-nothing";
        }

        @Override
        public JsonNode run(ObjectNode spec, JobEnvironment env) {
            return spec;
        }

        static Job job(long n) {
            ObjectNode spec = MAPPER.createObjectNode();
            spec.put("n", n);
            return new Job("test-nothing", spec);
        }
    }

    /** A double that depends on every bit of the arithmetic: equal outcomes mean equal computation. */
    static double checksum(long n) {
        double x = n + 0.5;
        for (int i = 0; i < 100_000; i++) {
            x = Math.sin(x) * 1.000001 + Math.sqrt(i + n);
        }
        return x;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
