package org.spidernet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.autospace.AutoSpaceJson;
import org.spidernet.search.darts.DartsNetworkJson;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON network files: SpiderNet genomes, DARTS genotypes and supernets, and whatever JSON
 * each architecture space lowers. Each input is given both as a string (as a checkpoint or a
 * library caller passes it) and as a file (as {@code --genome FILE} reads it, bytes that are not
 * UTF-8 included).
 */
class NetworkJsonFuzzTest {
    private static final List<ArchitectureSpace> SPACES = ArchitectureSpaces.all();

    @TempDir
    Path tmp;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void genome(byte[] bytes) {
        ParserContract.check(null, () -> GenomeJson.read(new String(bytes, StandardCharsets.UTF_8)));
        Path file = ParserContract.write(tmp, "genome.json", bytes);
        ParserContract.check(file, () -> GenomeJson.read(file));
    }

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void dartsGenotype(byte[] bytes) {
        ParserContract.check(null, () -> DartsNetworkJson.read(new String(bytes, StandardCharsets.UTF_8)));
        ParserContract.check(null, () -> DartsNetworkJson.readSupernet(new String(bytes, StandardCharsets.UTF_8)));
        Path file = ParserContract.write(tmp, "genotype.json", bytes);
        ParserContract.check(file, () -> DartsNetworkJson.read(file));
    }

    /** An AutoSpace refusal: a JSON path first ({@code layers[1].cells: ...}), or the whole file's fault. */
    private static final Pattern AUTOSPACE_MESSAGE = Pattern.compile(
            "^((format|version|input|stem|mixing|layers)(\\[\\d+])?(\\.[a-z]+(\\[\\d+])?)*: \\S.*|AutoSpace JSON \\S.*)");

    /**
     * Every space's {@code lower}, the one entry point checkpoints and saved models go through, and
     * AutoSpace's learned space (read by {@code search --space FILE}); AutoSpace's three readers must
     * refuse with an {@link InvalidGenomeException} that names the JSON path.
     */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void spaceLower(byte[] bytes) {
        String json = new String(bytes, StandardCharsets.UTF_8);
        for (ArchitectureSpace space : SPACES) {
            ParserContract.check(null, () -> space.lower(json));
        }
        autoSpace(() -> AutoSpaceJson.readNetwork(json));
        autoSpace(() -> AutoSpaceJson.readMix(json));
        autoSpace(() -> AutoSpaceJson.readSpace(json));
    }

    private static void autoSpace(Runnable read) {
        ParserContract.check(null, read::run);
        try {
            read.run();
        } catch (InvalidGenomeException e) {
            if (!AUTOSPACE_MESSAGE.matcher(e.getMessage()).matches()) {
                throw new AssertionError("AutoSpace JSON refused without a JSON path first: " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException e) {
            throw new AssertionError("AutoSpace JSON refused with " + e + ", not an InvalidGenomeException", e);
        }
    }
}
