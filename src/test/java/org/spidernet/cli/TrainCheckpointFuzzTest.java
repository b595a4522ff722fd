package org.spidernet.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.fuzz.ParserContract;
import org.spidernet.io.Checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A train checkpoint's {@code state.json} (the fuzz targets live in org.spidernet.fuzz; this one
 * is here because {@link TrainCheckpoint} is package-private). Its genome and weights are valid,
 * so every input reaches the state parser.
 */
class TrainCheckpointFuzzTest {
    @TempDir
    Path dir;

    @BeforeEach
    void validNeighbours() throws IOException {
        ParserContract.writeValidNeighbours(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void trainState(byte[] bytes) {
        ParserContract.write(dir, Checkpoint.STATE, bytes);
        ParserContract.check(dir, () -> TrainCheckpoint.kind(dir));
        ParserContract.check(dir, () -> TrainCheckpoint.read(dir));
    }
}
