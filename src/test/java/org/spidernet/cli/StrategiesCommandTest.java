package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.graph.GenomeJson;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchStrategies;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.StrategyOption;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spidernet strategies}, {@code search --strategy} through the registry (an unknown name,
 * and the test-only {@code tiny} strategy end to end with the reference backend).
 */
class StrategiesCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** The line of the options table for {@code strategy}'s {@code option}, split into its cells. */
    private static List<String> optionRow(String out, String strategy, String option) {
        return out.lines().map(l -> List.of(l.trim().split("\\s{2,}")))
                .filter(cells -> cells.size() >= 2 && cells.get(0).equals(strategy) && cells.get(1).equals(option))
                .findFirst().orElseThrow(() -> new AssertionError(strategy + " " + option + " not listed:\n" + out));
    }

    @Test
    void listsEveryStrategyWithItsDescriptionOptionsAndDefaults() {
        CliRun r = run("strategies");
        assertEquals(0, r.exit(), r.err());
        for (SearchStrategy s : SearchStrategies.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(s.name() + " ") && l.endsWith(s.description())),
                    s.name() + " and its description:\n" + r.out());
        }
        assertTrue(r.out().contains("tiny"), "the test class path's strategy is listed too:\n" + r.out());
        assertEquals(List.of("spidernet", "--inits", String.valueOf(SearchDefaults.CPU_INITS),
                        String.valueOf(SearchDefaults.GPU.inits()), "random initialisations each candidate's scores are averaged over"),
                optionRow(r.out(), "spidernet", "--inits"));
        assertEquals(List.of("spidernet", "--metrics", "ntk_centred,lrc", "ntk_centred,lrc"),
                optionRow(r.out(), "spidernet", "--metrics").subList(0, 4));
        assertEquals(List.of("spidernet", "--candidates", "3", "3"), optionRow(r.out(), "spidernet", "--candidates").subList(0, 4));
        assertEquals("(none)", optionRow(r.out(), "random", "(none)").get(1));
    }

    @Test
    void everyOptionAStrategyDeclaresIsReachableFromSearchAndListedSo() {
        CommandLine.Model.CommandSpec search = new CommandLine(new SpiderNet()).getSubcommands().get("search").getCommandSpec();
        CliRun r = run("strategies");
        for (SearchStrategy s : SearchStrategies.all()) {
            for (StrategyOption o : s.options()) {
                // a flag of its own (SpiderNet's --metrics), or --option NAME=VALUE for the strategy's own settings
                String listed = search.findOption("--" + o.name()) != null ? "--" + o.name() : "--option " + o.name() + "=";
                assertEquals(List.of(s.name(), listed, o.cpuDefault(), o.gpuDefault()),
                        optionRow(r.out(), s.name(), listed).subList(0, 4));
            }
        }
        assertNotNull(search.findOption("--option"));
    }

    @Test
    void aStrategyOptionIsSetWithOptionAndAnUnknownOneIsRefused(@TempDir Path tmp) {
        Path out = tmp.resolve("run");
        CliRun r = run("search", "--strategy", "darts", "--option", "layerz=4", "--backend", "reference", "--out", out.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("spidernet: error: --option: strategy 'darts' has no option 'layerz' (known: "), r.err());
        assertTrue(r.err().strip().endsWith("did you mean layers?"), r.err());
        CliRun bad = run("search", "--strategy", "darts", "--option", "mixing=hard", "--backend", "reference", "--out", out.toString());
        assertEquals(2, bad.exit(), bad.err());
        assertEquals("spidernet: error: darts option mixing must be softmax or gumbel, got 'hard'", bad.err().strip());
        CliRun spider = run("search", "--option", "layers=4", "--backend", "reference", "--out", out.toString());
        assertEquals(2, spider.exit(), spider.err());
        assertTrue(spider.err().contains("strategy 'spidernet' has no option 'layers'"), spider.err());
        assertFalse(Files.exists(out), "nothing may be written for a refused run");
    }

    @Test
    void anUnknownStrategyIsAOneLineErrorThatSuggestsTheNearestAndWritesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("run");
        CliRun r = run("search", "--strategy", "spidrenet", "--backend", "reference", "--out", out.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("spidernet: error: --strategy: unknown search strategy 'spidrenet' (known: "), r.err());
        assertTrue(r.err().contains("random") && r.err().strip().endsWith("did you mean spidernet?"), r.err());
        assertFalse(Files.exists(out), "nothing may be written for a refused run");

        CliRun far = run("search", "--strategy", "evolution", "--backend", "reference", "--out", out.toString());
        assertEquals(2, far.exit());
        assertFalse(far.err().contains("did you mean"), far.err());
    }

    @Test
    void aStrategyFromTheTestClassPathSearchesThroughTheCommandLine(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path out = tmp.resolve("tiny");
        CliRun r = run("search", "--strategy", "tiny", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--iterations", "2", "--epochs-per-iteration", "1", "--final-epochs", "1", "--no-progress",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("tiny", summary.get("strategy").asText());
        assertEquals(2, summary.get("iterations").asInt());
        assertEquals("iteration limit reached (2 iterations)", summary.get("stop_reason").asText());
        assertEquals(summary.get("edges").asInt(), GenomeJson.read(out.resolve("genome.json")).edgeCount());
        List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        assertEquals(2, events.stream().filter(l -> l.contains("\"event\":\"iteration\"")).count());
        assertTrue(events.get(0).contains("\"strategy\":\"tiny\""), events.get(0));
        assertTrue(Files.isRegularFile(out.resolve("weights.bin")));

        CliRun again = run("search", "--resume", out.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("already finished"), again.err());
    }
}
