package org.spidernet.io;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Graphviz {@code dot} program, run as a child process to render a DOT file into an image.
 * Graphviz is optional: {@link #onPath()} finds it, and every failure (non-zero exit, timeout,
 * empty output) is an {@link IOException} with a one-line reason, so callers can keep the DOT file
 * and carry on.
 */
public final class Graphviz {
    /** Long enough for any genome the search can grow; a hung dot must not stall a run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path executable;
    private final Duration timeout;

    public Graphviz(Path executable, Duration timeout) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * {@code dot} from the directories of {@code PATH}, looked up without starting a process so
     * that "not installed" is told apart from "installed but failing".
     */
    public static Optional<Graphviz> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "dot");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new Graphviz(candidate, DEFAULT_TIMEOUT));
            }
        }
        return Optional.empty();
    }

    public Path executable() {
        return executable;
    }

    /**
     * Renders {@code source} as {@code format} ("svg", "png", ...) into {@code target}, which
     * appears complete or not at all. dot writes to a scratch file beside the target first: its
     * output is only known good once it has exited with status 0.
     *
     * @throws IOException with a one-line reason when dot cannot start, fails, times out or writes nothing
     */
    public void render(Path source, String format, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String what = "dot -T" + format;
        Path out = Files.createTempFile(dir, "." + target.getFileName() + ".", ".render");
        Path err = Files.createTempFile(dir, "." + target.getFileName() + ".", ".stderr");
        try {
            Process p;
            try {
                p = new ProcessBuilder(executable.toString(), "-T" + format, "-o", out.toString(), source.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(err.toFile())
                        .start();
            } catch (IOException e) {
                throw new IOException(what + ": cannot start " + executable + " (" + e.getMessage() + ")", e);
            }
            boolean exited;
            try {
                exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(what + ": interrupted");
            }
            if (!exited) {
                p.destroyForcibly();
                throw new IOException(what + String.format(Locale.ROOT, ": no result after %.1f s, stopped", timeout.toMillis() / 1000.0));
            }
            if (p.exitValue() != 0) {
                throw new IOException(what + " exited with status " + p.exitValue() + firstLine(err));
            }
            if (Files.size(out) == 0) {
                throw new IOException(what + " wrote nothing" + firstLine(err));
            }
            AtomicFiles.write(target, o -> Files.copy(out, o));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The first non-blank line dot wrote to stderr, as ": line", or "" when it wrote none. */
    private static String firstLine(Path err) throws IOException {
        // decoded leniently: a message in another encoding must not hide the failure it reports
        for (String line : new String(Files.readAllBytes(err), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                return ": " + line.strip();
            }
        }
        return "";
    }
}
