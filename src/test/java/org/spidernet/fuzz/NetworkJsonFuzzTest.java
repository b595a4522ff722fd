package org.spidernet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.graph.GenomeJson;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.darts.DartsNetworkJson;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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

    /** Every space's {@code lower}, the one entry point checkpoints and saved models go through. */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void spaceLower(byte[] bytes) {
        String json = new String(bytes, StandardCharsets.UTF_8);
        for (ArchitectureSpace space : SPACES) {
            ParserContract.check(null, () -> space.lower(json));
        }
    }
}
