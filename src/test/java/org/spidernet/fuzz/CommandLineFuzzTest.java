package org.spidernet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.cli.SpiderNet;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line. Arguments are only parsed ({@link CommandLine#parseArgs}), never run, so no
 * input can start a training or write a file; the one target that runs a command gives
 * {@code train} a fuzzed {@code --genome} file and a data directory that does not exist, so it
 * stops before training whatever the genome holds.
 */
class CommandLineFuzzTest {
    /** Words the fuzzer picks from, so inputs reach the options' converters rather than only "unknown option". */
    private static final List<String> WORDS = List.of("train", "search", "evaluate", "predict", "export", "strategies",
            "compare", "info", "twin", "dags", "help", "--help", "--version", "--epochs", "--batch", "--channels", "--reductions",
            "--backend", "--seed", "--limit-train", "--validation", "--lr", "--drop-path", "--crop", "--cutout",
            "--device-memory", "--genome", "--data", "--dataset", "--resume", "--out", "--no-progress", "--quiet",
            "--verbose", "--strategy", "--space", "--budget", "--onnx", "--top", "--min-vertices", "--max-vertices", "--list", "-1", "0", "1e400", "NaN", "300M",
            "9999999999999", "cpu", "reference", "fashion-mnist", "cifar10", "=", "--");

    @TempDir
    Path tmp;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void arguments(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>();
        int n = data.consumeInt(0, 12);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            args.add(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(24));
        }
        try {
            new CommandLine(new SpiderNet()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            // a bad argument is refused with a ParameterException (anything else escaping is the finding),
            // and the line SpiderNet prints for it is one line that says something
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank(), () -> "no message for " + args);
            String line = SpiderNet.errorLine(m);
            assertTrue(line.lines().count() == 1, () -> "not one line for " + args + ": " + line);
        }
    }

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void trainGenomeOption(byte[] bytes) {
        Path genome = ParserContract.write(tmp, "genome.json", bytes);
        Path data = tmp.resolve("no-such-data");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = SpiderNet.execute("train", "--genome", genome.toString(), "--data", data.toString(), "--out",
                    tmp.resolve("out").toString(), "--no-progress", "--quiet");
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertNotEquals(0, code, "train ran without data");
        List<String> errors = text.lines().filter(l -> l.startsWith("spidernet: error: ")).toList();
        assertEquals(1, errors.size(), () -> "expected one error line, got: " + text);
        String error = errors.get(0);
        assertTrue(error.contains(genome.toString()) || error.contains(data.toString()),
                () -> "the error names neither the genome file nor the data directory: " + error);
    }
}
