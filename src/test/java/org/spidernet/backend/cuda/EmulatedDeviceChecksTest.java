package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native programs scripts/build-native makes for the emulated device, run as part of the suite:
 * the detectors' self-test (each faulty kernel reported with kernel and thread, each fixed one
 * clean), and check-kernels over every kernel, plain and under AddressSanitizer + UBSan, with the
 * race check on every launch. Skipped,
 * with the reason, where the native build did not run (no Linux x86-64, or skipped on purpose).
 */
class EmulatedDeviceChecksTest {
    private static final Path BUILT = Path.of("target", "native", "linux-x86_64", "emulated");
    private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed");
    private static final Pattern KERNEL = Pattern.compile("__global__\\s+void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?(\\w+)\\s*\\(");

    private record Run(int exit, String output) {
    }

    private static Run run(String program, String... args) throws IOException, InterruptedException {
        Path executable = BUILT.resolve(program);
        assumeTrue(Files.isExecutable(executable), executable + " not built here (native build skipped: "
                + CudaProbe.buildRecord() + ")");
        List<String> command = new ArrayList<>();
        command.add(executable.toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SNC_EMU_RACECHECK", "all");  // every launch in two thread orders, not a sample
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), program + " did not finish in 5 minutes");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Passes when the program exited 0 and its closing line counts no failure and at least `least` passes. */
    private static void assertAllPassed(Run run, String program, int least) {
        Matcher m = SUMMARY.matcher(run.output());
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        assertTrue(last != null, program + " printed no summary line:\n" + run.output());
        Matcher summary = SUMMARY.matcher(last);
        assertTrue(summary.find());
        assertEquals(0, Integer.parseInt(summary.group(2)), program + " reported failures:\n" + run.output());
        assertTrue(Integer.parseInt(summary.group(1)) >= least, program + ": " + last);
        assertEquals(0, run.exit(), program + " exit status:\n" + run.output());
    }

    /** Every __global__ kernel of cuda-kernels/, by name, from the sources. */
    private static Set<String> kernelsInSources() throws IOException {
        Path sources = Path.of("cuda-kernels");
        assumeTrue(Files.isDirectory(sources), "cuda-kernels/ not found: not run from a source checkout");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".cu")).toList()) {
                Matcher m = KERNEL.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void everyDetectorReportsItsFaultAndPassesTheFixedKernel() throws Exception {
        Run run = run("emulator-selftest");
        assertAllPassed(run, "emulator-selftest", 17);
        for (String fault : List.of("data race", "has exited", "not reached by every live thread", "signalling NaN",
                "the sanitizer's report above is from kernel shifted_copy_kernel block (0,0,0) thread (63,0,0)")) {
            assertTrue(run.output().contains(fault), "self-test output lacks '" + fault + "':\n" + run.output());
        }
    }

    @Test
    void checkKernelsCoversEveryKernelOfTheSources() throws Exception {
        Set<String> expected = kernelsInSources();
        Run run = run("check-kernels", "--list");
        assertEquals(0, run.exit(), run.output());
        Set<String> listed = new TreeSet<>(List.of(run.output().strip().split("\\s+")));
        assertEquals(expected, listed, "check-kernels --list against the __global__ kernels of cuda-kernels/");
    }

    @Test
    void everyKernelMatchesItsFloat64ReferenceOnTheEmulatedDevice() throws Exception {
        assertAllPassed(run("check-kernels"), "check-kernels", kernelsInSources().size());
    }

    @Test
    void everyKernelIsCleanUnderAddressSanitizerAndUbsan() throws Exception {
        assertAllPassed(run("check-kernels-sanitized"), "check-kernels-sanitized", kernelsInSources().size());
    }
}
