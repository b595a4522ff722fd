package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.fade.FadeJson;
import org.spidernet.search.fade.FadeRegion;
import org.spidernet.search.fade.FadeSpace;
import org.spidernet.search.fade.RegionFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code search --space} end to end on IDX fixtures with the reference backend: random search and
 * DARTS over a FaDE region file find one of its architectures and save the file's absolute path
 * with the settings; a space nobody opens, a broken region, a strategy bound to its own space and
 * {@code --space} beside {@code --resume} are one-line flag errors that write nothing.
 */
class SearchSpaceTest {
    /** The fixture's images: 6x6, one channel, MNIST's 10 classes. */
    private static final InputSpec INPUT = new InputSpec(1, 6, 6, 10);

    private static String[] search(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("search", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--batch", "8", "--validation", "8", "--epochs-per-iteration", "1",
                "--final-epochs", "1", "--iterations", "2", "--no-progress", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void randomAndDartsSearchARegionFileAndSaveItsPath(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        FadeRegion region = RegionFiles.tiny(INPUT);
        Path file = RegionFiles.write(tmp.resolve("region.json"), region);
        for (String strategy : List.of("random", "darts")) {
            Path out = tmp.resolve(strategy);
            CliRun r = CliRun.of(search(data, out, "--strategy", strategy, "--space", file.toString()));
            assertEquals(0, r.exit(), r.err());
            JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            assertEquals(FadeSpace.NAME, summary.get("space").asText(), strategy);
            assertEquals(file.toAbsolutePath().toString(), summary.get("config").get("space").asText(), strategy);
            assertEquals(2, summary.get("iterations").asInt(), strategy);
            String found = Files.readString(out.resolve("fade-network.json"));
            assertTrue(RegionFiles.architectures(region).contains(FadeJson.write(FadeJson.readNetwork(found))),
                    strategy + " found a network outside the region");
            assertEquals(file.toAbsolutePath().toString(), SearchCheckpoint.config(out.resolve("checkpoint")).space());
        }
    }

    @Test
    void badSpacesAreOneLineFlagErrorsThatWriteNothing(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path garbage = Files.writeString(tmp.resolve("garbage.json"), "not json at all");
        String good = FadeJson.write(RegionFiles.tiny(INPUT));
        Path broken = Files.writeString(tmp.resolve("broken.json"), good.replace("\"version\" : 1", "\"version\" : 7"));
        Path other = RegionFiles.write(tmp.resolve("other.json"), RegionFiles.tiny(new InputSpec(1, 8, 8, 3)));
        Path region = RegionFiles.write(tmp.resolve("region.json"), RegionFiles.tiny(INPUT));
        String[][] cases = {
                {"random", "nosuch", "--space 'nosuch': neither a known space"},
                {"random", garbage.toString(), "--space '" + garbage + "': neither a known space"},
                {"darts", broken.toString(), broken + ": not a valid FaDE region: version: this engine reads fade-region version 1"},
                {"random", other.toString(), other + ": the FaDE region takes 1x8x8 (3 classes) images, the data has 1x6x6 (10 classes)"},
                {"spidernet", region.toString(), "--space: strategy 'spidernet' searches its own space only"},
                {"fade", region.toString(), "--space: strategy 'fade' searches its own space only"},
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("out-" + c[0]);
            CliRun r = CliRun.of(search(data, out, "--strategy", c[0], "--space", c[1]));
            assertTrue(r.isOneLineError(2), c[0] + " " + c[1] + ": exit " + r.exit() + ": " + r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            assertFalse(Files.exists(out), "a refused search wrote " + out);
        }
        Path run = Files.createDirectories(tmp.resolve("run"));
        CliRun r = CliRun.of("search", "--resume", run.toString(), "--space", region.toString());
        assertTrue(r.isOneLineError(2), r.err());
        assertTrue(r.err().contains("--space cannot be given with it"), r.err());
        assertEquals(List.of(), Files.list(run).toList(), "a refused resume wrote into its directory");
    }

    @Test
    void helpListsTheOption() {
        CliRun r = CliRun.of("search", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--space=NAME|FILE"), r.out());
    }
}
