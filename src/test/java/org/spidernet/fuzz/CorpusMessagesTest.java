package org.spidernet.fuzz;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.IdxReader;
import org.spidernet.experiment.ExperimentPlan;
import org.spidernet.data.ImageFile;
import org.spidernet.graph.GenomeJson;
import org.spidernet.io.WeightsFile;
import org.spidernet.search.darts.DartsNetworkJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every checked-in input of the file parsers, read from its file: an input named {@code valid*}
 * must parse (so the fuzzer starts from real files, not only from refusals), every other input
 * must be refused, and each refusal's message must name the file and the fault in one line, not be
 * a bare JDK or Jackson text ({@link ParserContract}). The fuzz targets check the contract too, but
 * accept success; this test pins which seeds are broken.
 */
class CorpusMessagesTest {
    private static final Path INPUTS = Paths.get("src/test/resources/org/spidernet/fuzz");

    @TempDir
    Path tmp;

    private interface FileParser {
        void parse(Path file) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> everySeedIsAcceptedOrRefusedWithAMessageNamingTheFile() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        add(tests, "NetworkJsonFuzzTestInputs/genome", GenomeJson::read);
        add(tests, "DatasetFileFuzzTestInputs/imageFile", f -> ImageFile.read(f, 1, 28, 28));
        add(tests, "WeightsFileFuzzTestInputs/weights", WeightsFile::read);
        // the IDX seeds are images or labels; each must be valid as its own kind
        add(tests, "DatasetFileFuzzTestInputs/idx", f -> {
            if (f.getFileName().toString().startsWith("labels")) {
                IdxReader.readLabels(f, 10);
            } else {
                IdxReader.readImages(f);
            }
        });
        add(tests, "NetworkJsonFuzzTestInputs/dartsGenotype", f -> {
            if (f.getFileName().toString().contains("supernet")) {
                DartsNetworkJson.readSupernet(Files.readString(f));
            } else {
                DartsNetworkJson.read(f);
            }
        });
        add(tests, "ExperimentPlanFuzzTestInputs/plan", f -> ExperimentPlan.read(f).configs(f, ExperimentPlanFuzzTest.CPU));
        assertFalse(tests.isEmpty(), "no seeds found under " + INPUTS.toAbsolutePath());
        return tests.stream();
    }

    private void add(List<DynamicTest> tests, String dir, FileParser parser) throws IOException {
        try (Stream<Path> seeds = Files.list(INPUTS.resolve(dir))) {
            for (Path seed : seeds.sorted().toList()) {
                String name = seed.getFileName().toString();
                tests.add(DynamicTest.dynamicTest(dir + "/" + name, () -> {
                    // a copy, so the message has to name the file it was given, not a resource path
                    Path file = Files.copy(seed, Files.createDirectories(tmp.resolve(dir)).resolve(name));
                    if (name.startsWith("valid") || name.endsWith("-valid")) {
                        assertDoesNotThrow(() -> parser.parse(file));
                    } else {
                        Exception e = assertThrows(Exception.class, () -> parser.parse(file));
                        ParserContract.check(file, () -> {
                            throw e;
                        });
                        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                    }
                }));
            }
        }
    }
}
