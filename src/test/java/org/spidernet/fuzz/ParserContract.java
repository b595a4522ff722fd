package org.spidernet.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What every parser of outside data promises, whatever the bytes: it returns, or it throws ONE
 * expected, typed exception ({@link IOException} and its subclasses such as
 * {@code DatasetFormatException}, or {@link IllegalArgumentException} such as
 * {@code InvalidGenomeException}) whose message is one line that names the file (when there is
 * one) and the fault. Anything else (a NullPointerException, an index out of bounds, an
 * OutOfMemoryError, a NumberFormatException or a JDK charset text leaking raw) is a finding, so
 * {@link #check} throws an {@link AssertionError}, which Jazzer reports as a crash.
 */
public final class ParserContract {
    /** Texts of JDK and Jackson exceptions that mean nothing to the person who gave us the file. */
    private static final Pattern BARE = Pattern.compile(
            "Input length = \\d+|malformed input around byte \\d+|Unexpected character.*|Unexpected end-of-input.*"
                    + "|Not in GZIP format|Unexpected end of ZLIB input stream|null");

    private ParserContract() {
    }

    public interface Parse {
        void run() throws Exception;
    }

    /** Runs {@code parse}; {@code file} is the file it reads (null for a parser of a string). */
    public static void check(Path file, Parse parse) {
        try {
            parse.run();
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof NumberFormatException) {
                throw finding(file, "a raw NumberFormatException", e);
            }
            String m = e.getMessage();
            if (m == null || m.isBlank()) {
                throw finding(file, "an exception without a message", e);
            }
            if (m.contains("\n") || m.contains("\r")) {
                throw finding(file, "a message of several lines", e);
            }
            String fault = m;
            if (file != null) {
                if (!m.contains(file.toString())) {
                    throw finding(file, "a message that does not name the file", e);
                }
                fault = m.replace(file.toString(), "").replaceFirst("^[:\\s]+", "").strip();
            }
            if (fault.length() < 8 || BARE.matcher(fault).matches()) {
                throw finding(file, "a message that does not say what is wrong", e);
            }
        } catch (Exception e) { // NullPointerException, ArrayIndexOutOfBounds, NegativeArraySize, ...
            throw finding(file, "an unexpected exception type", e);
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw finding(file, "an error", e);
        }
    }

    private static AssertionError finding(Path file, String what, Throwable e) {
        return new AssertionError("parser of " + (file == null ? "a string" : file.getFileName()) + " failed with " + what
                + ": " + e, e);
    }

    /**
     * Writes a valid small genome and an empty {@code weights.bin} into {@code dir}, so a fuzzed
     * checkpoint or run file beside them is the only fault and its parser is always reached.
     */
    public static void writeValidNeighbours(Path dir) throws java.io.IOException {
        org.spidernet.graph.Genome g = org.spidernet.graph.Genome.initial(new org.spidernet.graph.InputSpec(1, 28, 28, 10), 4, 1);
        write(dir, org.spidernet.io.Checkpoint.GENOME,
                org.spidernet.graph.GenomeJson.write(g).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.spidernet.io.WeightsFile.write(dir.resolve(org.spidernet.io.WeightsFile.NAME), java.util.Map.of());
    }

    /** Writes {@code bytes} to {@code name} in {@code dir} (a fresh temp directory per input). */
    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
