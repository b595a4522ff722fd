package org.spidernet.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.fuzz.ParserContract;

import java.nio.file.Path;

/**
 * A finished run's {@code summary.json} as {@code spidernet compare} reads it (here, not in
 * org.spidernet.fuzz, because {@link CompareCommand#readSummary} is package-private).
 */
class RunSummaryFuzzTest {
    @TempDir
    Path dir;

    @FuzzTest(maxDuration = "60s")
    void summary(byte[] bytes) {
        Path file = ParserContract.write(dir, CompareCommand.SUMMARY, bytes);
        ParserContract.check(file, () -> CompareCommand.readSummary(dir));
    }
}
