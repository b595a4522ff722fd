package org.spidernet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.io.WeightsFile;

import java.nio.file.Path;

/** {@code weights.bin}: entry counts and lengths come from the file and must be checked against its size. */
class WeightsFileFuzzTest {
    @TempDir
    Path tmp;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void weights(byte[] bytes) {
        Path file = ParserContract.write(tmp, WeightsFile.NAME, bytes);
        ParserContract.check(file, () -> WeightsFile.read(file));
    }
}
