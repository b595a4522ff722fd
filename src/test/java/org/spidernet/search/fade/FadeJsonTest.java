package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.ArchitectureSpaces;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FaDE's JSON: networks and regions round-trip through the registered spaces; bad files name the path and the fault. */
class FadeJsonTest {
    private static final FadeSkeleton SK = FadeSkeleton.of(InputSpec.FASHION_MNIST, 3, 4, 2);

    @Test
    void networksAndRegionsRoundTrip() {
        FadeNetwork n = new FadeNetwork(SK, List.of(Dag.parse("3:0-1,1-2"), Dag.parse("4:0-1,0-2,1-3,2-3"), Dag.parse("3:")));
        assertEquals(n, FadeJson.readNetwork(FadeJson.write(n)));
        assertEquals(List.of(4, 8, 16), FadeJson.readNetwork(FadeJson.write(n)).skeleton().stages().stream().map(FadeStage::channels).toList());
        FadeRegion r = new FadeRegion(SK, List.of(List.of(Dag.parse("3:"), Dag.parse("3:0-1")), List.of(Dag.parse("3:0-1"),
                Dag.parse("3:0-1,1-2")), List.of(Dag.parse("3:0-2"), Dag.parse("4:"))), AlphaGroup.Mixing.GUMBEL);
        assertEquals(r, FadeJson.readRegion(FadeJson.write(r)));
        // through the plug-ins, as checkpoints and runs read them
        assertEquals(n.lower(), ArchitectureSpaces.require(FadeSpace.NAME).lower(FadeJson.write(n)));
        assertEquals(r.lower(), ArchitectureSpaces.require(FadeRegionSpace.NAME).lower(FadeJson.write(r)));
    }

    @Test
    void badFilesNameThePathAndTheFault() {
        String good = FadeJson.write(new FadeNetwork(SK, List.of(Dag.parse("3:0-1"), Dag.parse("3:0-1"), Dag.parse("3:0-1"))));
        assertMessage("stages[0].cell", good.replaceFirst("\"3:0-1\"", "\"x\""));
        assertMessage("stages[0].cell", good.replaceFirst("\"3:0-1\"", "\"3:0-1,1-0\""));
        assertMessage("stages[0].cell: expected a DAG code", good.replaceFirst("\"3:0-1\"", "7"));
        assertMessage("format: expected 'fade-network'", good.replace("fade-network", "fade-region"));
        assertMessage("stages[1].reduction: expected true or false", good.replaceFirst("true", "\"yes\""));
        assertMessage("not valid JSON", good.substring(0, good.length() / 2));
        String region = FadeJson.write(new FadeRegion(SK, List.of(List.of(Dag.parse("3:"), Dag.parse("3:0-1")),
                List.of(Dag.parse("3:"), Dag.parse("3:0-1")), List.of(Dag.parse("3:"), Dag.parse("3:0-1"))), AlphaGroup.Mixing.SOFTMAX));
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class,
                () -> FadeJson.readRegion(region.replaceFirst("\"3:\"", "\"3:1-2\"")));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        assertThrows(InvalidGenomeException.class, () -> FadeJson.readRegion(region.replace("softmax", "hard")));
    }

    private static void assertMessage(String expected, String json) {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> FadeJson.readNetwork(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
