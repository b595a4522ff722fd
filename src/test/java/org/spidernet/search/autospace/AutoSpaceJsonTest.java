package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.ArchitectureSpaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AutoSpace's JSON: networks, mixes and learned spaces round-trip (through the registered spaces
 * where they are one); a malformed file is an {@link InvalidGenomeException} whose one-line
 * message starts with the JSON path of the fault, also for each AutoSpace seed of the
 * {@code NetworkJsonFuzzTest#spaceLower} corpus, whose messages are pinned here.
 */
class AutoSpaceJsonTest {
    private static final Path SEEDS = Path.of("src/test/resources/org/spidernet/fuzz/NetworkJsonFuzzTestInputs/spaceLower");
    /** A JSON path such as {@code layers[1].cells} or {@code stem}, then the fault. */
    private static final Pattern PATH_FIRST = Pattern.compile("^(format|version|input|stem|mixing|layers)(\\[\\d+])?"
            + "(\\.[a-z]+(\\[\\d+])?)*: \\S.*");
    /** Every AutoSpace seed of the fuzz corpus and how its message starts. */
    private static final Map<String, String> SEED_MESSAGES = new TreeMap<>(Map.ofEntries(
            Map.entry("autospace-network-edge-backwards", "layers[0].cell: AutoSpace cell: edge 2>1 must run from"),
            Map.entry("autospace-network-node-three-inputs", "layers[1].cell: AutoSpace cell: node 4 must read 1 or 2"),
            Map.entry("autospace-network-op-none", "layers[0].cell: AutoSpace cell: edge 0>3 needs an op other than none"),
            Map.entry("autospace-network-vertex-overflow", "layers[0].cell: AutoSpace cell: edge '99999999999>1:sep_conv_3x3' has"),
            Map.entry("autospace-network-stem-stride-3", "stem: the stem needs 1..16384 channels and stride 1 or 2, got 2 and 3"),
            Map.entry("autospace-network-strides-leave-nothing", "layers: strides of 2 in all leave nothing of a 1x8 input"),
            Map.entry("autospace-network-channels-huge", "layers[1]: AutoSpace layer: channels must be in 1..16384, got 2147483647"),
            Map.entry("autospace-network-cell-number", "layers[0].cell: expected a cell"),
            Map.entry("autospace-network-no-layers", "layers: needs 1 to 16 layers, got 0"),
            Map.entry("autospace-mix-duplicate-cell", "layers[0].cells: cells 0 and 1 are the same cell"),
            Map.entry("autospace-mix-uneven-layers", "layers[1].cells: 1 cell, the first layer has 2"),
            Map.entry("autospace-mix-one-cell", "layers[0].cells: cells per layer must be in 2..16, got 1"),
            Map.entry("autospace-mix-mixing-unknown", "mixing: expected softmax or gumbel, found 'hardmax'"),
            Map.entry("autospace-mix-layer-channels-zero", "layers[1]: AutoSpace layer: channels must be in 1..16384, got 0"),
            Map.entry("autospace-space-fitness-short", "layers[1].fitness: 1 fitness values for 2 cells"),
            Map.entry("autospace-space-fitness-text", "layers[0].fitness[1]: expected a finite number"),
            Map.entry("autospace-space-format-mix", "format: expected 'autospace-space', found 'autospace-mix'")));

    private static final TargetNetwork TARGET = TargetNetwork.small(InputSpec.FASHION_MNIST, 4, 2, 1);

    private static CellChoices choices(Random r, int k) {
        return new CellChoices(TARGET, Stream.generate(() -> Stream.generate(() -> RandomCells.draw(r)).distinct().limit(k).toList())
                .limit(TARGET.size()).toList());
    }

    @Test
    void networksMixesAndSpacesRoundTrip() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        CellChoices c = choices(r, 3);
        AutoNetwork n = c.network(new int[]{0, 2, 1});
        assertEquals(n, AutoSpaceJson.readNetwork(AutoSpaceJson.write(n)), "seed " + seed);
        assertEquals(n.lower(), ArchitectureSpaces.require(AutoSpaceSpace.NAME).lower(AutoSpaceJson.write(n)), "seed " + seed);
        for (AlphaGroup.Mixing mixing : AlphaGroup.Mixing.values()) {
            AutoMix m = new AutoMix(c, mixing);
            assertEquals(m, AutoSpaceJson.readMix(AutoSpaceJson.write(m)), "seed " + seed);
            assertEquals(m.lower(), ArchitectureSpaces.require(AutoMixSpace.NAME).lower(AutoSpaceJson.write(m)), "seed " + seed);
        }
        List<double[]> fitness = Stream.generate(() -> r.doubles(3).toArray()).limit(TARGET.size()).toList();
        LearnedSpace s = AutoSpaceJson.readSpace(AutoSpaceJson.write(new LearnedSpace(c, fitness)));
        assertEquals(c, s.choices());
        for (int l = 0; l < fitness.size(); l++) {
            assertArrayEquals(fitness.get(l), s.fitness().get(l), "seed " + seed);
        }
    }

    @Test
    void badFilesNameThePathAndTheFault() {
        CellChoices c = choices(new Random(3), 2);
        String net = AutoSpaceJson.write(c.network(new int[]{0, 0, 0}));
        String first = c.cells().get(0).get(0).code();
        assertMessage("layers[0].cell: AutoSpace cell: edge", AutoSpaceJson::readNetwork, net.replace(first, "0>1:sep_conv_3x3 x"));
        assertMessage("layers[0].cell: unknown DARTS op 'conv'", AutoSpaceJson::readNetwork, net.replace(first, "0>1:conv"));
        assertMessage("layers[0].cell: AutoSpace cell: empty", AutoSpaceJson::readNetwork, net.replace(first, " "));
        assertMessage("layers[0].cell: AutoSpace cell: node 1 reads vertex 0 twice", AutoSpaceJson::readNetwork,
                net.replace(first, "0>1:skip_connect 0>1:max_pool_3x3 1>2:skip_connect 2>3:skip_connect 3>4:skip_connect"));
        assertMessage("layers[1]: must be an object", AutoSpaceJson::readNetwork, net.replaceFirst("(?s)\\}, \\{.*?\\}, \\{", "}, 3, {"));
        assertMessage("stem.channels: expected an integer", AutoSpaceJson::readNetwork,
                net.replaceFirst("\"channels\" : 4,\n    \"stride\" : 1\n  }", "\"channels\" : \"4\",\n    \"stride\" : 1\n  }"));
        assertMessage("stem: the stem needs 1..16384 channels", AutoSpaceJson::readNetwork,
                net.replaceFirst("\"channels\" : 4,\n    \"stride\" : 1\n  }", "\"channels\" : 0,\n    \"stride\" : 1\n  }"));
        assertMessage("layers[2]: AutoSpace layer: stride must be 1 or 2, got 4", AutoSpaceJson::readNetwork,
                net.replaceFirst("(?s)(.*)\"stride\" : 2", "$1\"stride\" : 4"));
        assertMessage("input.height: missing", AutoSpaceJson::readNetwork, net.replace("\"height\"", "\"heigth\""));
        assertMessage("format: expected 'autospace-network', found 'autospace-mix'", AutoSpaceJson::readNetwork,
                AutoSpaceJson.write(new AutoMix(c, AlphaGroup.Mixing.SOFTMAX)));
        assertMessage("version: this engine reads", AutoSpaceJson::readNetwork, net.replace("\"version\" : 1", "\"version\" : 2"));
        assertMessage("layers: expected an array", AutoSpaceJson::readNetwork, net.replaceFirst("(?s)\"layers\" : \\[.*", "\"layers\" : 1 }"));
        String tooMany = net.replaceFirst("(?s)\"layers\" : \\[ (.*) ]\\s*}\\s*$", "\"layers\" : [ $1, $1, $1, $1, $1, $1 ] }");
        assertMessage("layers: needs 1 to 16 layers, got 18", AutoSpaceJson::readNetwork, tooMany);

        String mix = AutoSpaceJson.write(new AutoMix(c, AlphaGroup.Mixing.GUMBEL));
        assertMessage("mixing: expected a string", AutoSpaceJson::readMix, mix.replace("\"gumbel\"", "1"));
        assertMessage("layers[2].cells: cells 0 and 1 are the same cell", AutoSpaceJson::readMix,
                mix.replace(c.cells().get(2).get(1).code(), c.cells().get(2).get(0).code()));
        assertMessage("layers[1].cells[1]: expected a cell", AutoSpaceJson::readMix,
                mix.replace("\"" + c.cells().get(1).get(1).code() + "\"", "null"));
        assertMessage("AutoSpace JSON is not valid JSON", AutoSpaceJson::readMix, mix.substring(0, mix.length() / 2));
        assertMessage("AutoSpace JSON must be an object", AutoSpaceJson::readMix, "[]");

        String space = AutoSpaceJson.write(new LearnedSpace(c, List.of(new double[]{1, 2}, new double[]{3, 4}, new double[]{5, 6})));
        assertMessage("layers[2].fitness: 3 fitness values for 2 cells", AutoSpaceJson::readSpace,
                space.replaceFirst("(?s)(.*)\\[ 5\\.0, 6\\.0 ]", "$1[ 5.0, 6.0, 7.0 ]"));
        assertMessage("layers[0].fitness: missing", AutoSpaceJson::readSpace,
                space.replaceFirst("(?s),\\s*\"fitness\" : \\[ 1\\.0, 2\\.0 ]", ""));
        assertMessage("layers[1].fitness[0]: expected a finite number", AutoSpaceJson::readSpace, space.replace("3.0", "1e999"));
    }

    /** Each AutoSpace seed of the fuzz corpus: valid ones are read, the others refused with their pinned message. */
    @Test
    void theFuzzCorpusSeedsAreReadOrRefusedNamingTheirPath() throws IOException {
        List<Path> seeds;
        try (Stream<Path> files = Files.list(SEEDS)) {
            seeds = files.filter(f -> f.getFileName().toString().contains("autospace")).sorted().toList();
        }
        assertEquals(SEED_MESSAGES.keySet(), new java.util.TreeSet<>(seeds.stream().map(f -> f.getFileName().toString())
                .filter(n -> !n.startsWith("valid")).toList()), "every broken AutoSpace seed has its message here");
        int valid = 0;
        for (Path f : seeds) {
            String name = f.getFileName().toString();
            String json = Files.readString(f);
            Consumer<String> read = name.contains("autospace-network") ? AutoSpaceJson::readNetwork
                    : name.contains("autospace-mix") ? AutoSpaceJson::readMix : AutoSpaceJson::readSpace;
            if (name.startsWith("valid")) {
                assertDoesNotThrow(() -> read.accept(json), name);
                valid++;
            } else {
                assertMessage(SEED_MESSAGES.get(name), read, json);
            }
        }
        assertEquals(3, valid, "a valid seed of each format");
    }

    private static void assertMessage(String start, Consumer<String> read, String json) {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> read.accept(json), start);
        String m = e.getMessage();
        assertTrue(m.startsWith(start), "expected '" + start + "', got: " + m);
        assertEquals(1, m.lines().count(), m);
        if (!start.startsWith("AutoSpace JSON")) {
            assertTrue(PATH_FIRST.matcher(m).matches(), "not a JSON path first: " + m);
        }
    }
}
