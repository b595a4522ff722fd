package org.spidernet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.io.Checkpoint;
import org.spidernet.search.SearchCheckpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The JSON files of a run directory: a search checkpoint's {@code state.json} and a finished
 * run's {@code model.json}. The other files of the directory are valid (a small genome, an empty
 * {@code weights.bin}), so every input reaches the parser of the fuzzed file; the error must name
 * the directory or a file in it.
 */
class RunFileFuzzTest {
    @TempDir
    Path dir;

    @BeforeEach
    void validNeighbours() throws IOException {
        ParserContract.writeValidNeighbours(dir);
    }

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void searchState(byte[] bytes) {
        ParserContract.write(dir, Checkpoint.STATE, bytes);
        ParserContract.check(dir, () -> SearchCheckpoint.read(dir));
        ParserContract.check(dir, () -> SearchCheckpoint.config(dir));
        ParserContract.check(dir, () -> SearchCheckpoint.elapsedSeconds(dir));
    }

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void modelManifest(byte[] bytes) {
        ParserContract.write(dir, ModelManifest.FILE, bytes);
        ParserContract.check(dir, () -> ModelManifest.read(dir));
        ParserContract.check(dir, () -> SavedModel.load(dir));
    }
}
