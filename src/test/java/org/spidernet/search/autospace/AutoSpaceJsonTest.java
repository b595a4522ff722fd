package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AutoSpace's JSON forms read back what they wrote (random cells, fresh seed per run), and broken
 * files are one-line errors naming the JSON path.
 */
class AutoSpaceJsonTest {
    private static final TargetNetwork TARGET = TargetNetwork.small(InputSpec.FASHION_MNIST, 4, 2, 1);

    private static CellChoices choices(Random r, int k) {
        List<List<AutoCell>> cells = new ArrayList<>();
        for (int l = 0; l < TARGET.size(); l++) {
            List<AutoCell> layer = new ArrayList<>();
            while (layer.size() < k) {
                AutoCell c = RandomCells.draw(r);
                if (!layer.contains(c)) {
                    layer.add(c);
                }
            }
            cells.add(layer);
        }
        return new CellChoices(TARGET, cells);
    }

    @Test
    void everyFormRoundTrips() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        CellChoices c = choices(r, 3);
        AutoNetwork n = c.network(new int[]{0, 2, 1});
        assertEquals(n, AutoSpaceJson.readNetwork(AutoSpaceJson.write(n)), "seed " + seed);
        AutoMix m = new AutoMix(c, AlphaGroup.Mixing.GUMBEL);
        assertEquals(m, AutoSpaceJson.readMix(AutoSpaceJson.write(m)), "seed " + seed);
        List<double[]> fitness = new ArrayList<>();
        for (int l = 0; l < TARGET.size(); l++) {
            fitness.add(new double[]{r.nextDouble() * 3, r.nextDouble(), 0.25});
        }
        LearnedSpace s = AutoSpaceJson.readSpace(AutoSpaceJson.write(new LearnedSpace(c, fitness)));
        assertEquals(c, s.choices(), "seed " + seed);
        for (int l = 0; l < TARGET.size(); l++) {
            assertArrayEquals(fitness.get(l), s.fitness().get(l), 0.0);
        }
        assertEquals(java.util.Optional.of(AutoSpaceJson.SPACE_FORMAT), AutoSpaceJson.format(AutoSpaceJson.write(
                new LearnedSpace(c, fitness))));
        assertEquals(java.util.Optional.empty(), AutoSpaceJson.format("not json"));
    }

    @Test
    void brokenFilesNameThePathAndTheFault() {
        String good = AutoSpaceJson.write(choices(new Random(3), 2).network(new int[]{0, 1, 0}));
        assertError(good.replaceFirst("\"stride\" : 1", "\"stride\" : 3"), "stem.stride: must be 1 or 2, got 3");
        assertError(good.replace("\"format\" : \"autospace-network\"", "\"format\" : \"fade-network\""),
                "format: expected 'autospace-network'");
        String cell = good.replaceAll("(?s).*?\"cell\" : \"([^\"]*)\".*", "$1");
        assertError(good.replaceFirst("\"cell\" : \"[^\"]*\"", "\"cell\" : \"0>1:conv_9x9\""), "layers[0].cell: unknown DARTS op");
        assertError(good.replaceFirst("\"cell\" : \"[^\"]*\"", "\"cell\" : \"0>1:skip_connect\""),
                "layers[0].cell: AutoSpace cell: node 2 must read 1 or 2");
        assertError(good.replaceFirst("\"cell\" : \"[^\"]*\"", "\"cell\" : \"" + cell + " 0>1:none\""), "layers[0].cell: ");
        assertError(good.replaceFirst("\"cell\" : \"[^\"]*\"", "\"cell\" : 7"), "layers[0].cell: expected a cell");
        assertError("[]", "AutoSpace JSON must be an object");
        assertError("{", "AutoSpace JSON is not valid JSON");
        String mix = AutoSpaceJson.write(new AutoMix(choices(new Random(4), 2), AlphaGroup.Mixing.SOFTMAX));
        assertThrows(InvalidGenomeException.class, () -> AutoSpaceJson.readMix(mix.replace("\"softmax\"", "\"max\"")));
        InvalidGenomeException twice = assertThrows(InvalidGenomeException.class, () -> AutoSpaceJson.readMix(
                mix.replaceFirst("\"cells\" : \\[ \"([^\"]*)\", \"[^\"]*\" \\]", "\"cells\" : [ \"$1\", \"$1\" ]")));
        assertTrue(twice.getMessage().contains("lists a cell twice"), twice.getMessage());
    }

    private static void assertError(String json, String start) {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> AutoSpaceJson.readNetwork(json));
        assertTrue(e.getMessage().startsWith(start) || e.getMessage().contains(start), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }
}
