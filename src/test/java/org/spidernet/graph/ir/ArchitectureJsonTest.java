package org.spidernet.graph.ir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeLowering;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.search.darts.DartsLowering;
import org.spidernet.search.darts.DartsOp;
import org.spidernet.search.darts.DartsSkeleton;
import org.spidernet.search.darts.Genotype;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A genome grown by seeded splits, so cells have several inputs, adapters, subsamples and gates. */
    static Architecture spiderNet() {
        Genome g = Genome.initial(new InputSpec(3, 15, 13, 7), 4, 2);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 4; i++) {
            int cell = r.nextInt(g.cells().size());
            List<EdgeSplit> c = EdgeSplit.candidates(g, cell);
            g = c.get(r.nextInt(c.size())).applyTo(g);
        }
        return GenomeLowering.lower(g);
    }

    static DartsSkeleton skeleton() {
        return new DartsSkeleton(new InputSpec(3, 15, 15, 10), 4, 5);
    }

    @Test
    void everySpaceRoundTrips() {
        Genotype genotype = new Genotype(
                List.of(new Genotype.Edge(DartsOp.SEP_CONV_3X3, 0), new Genotype.Edge(DartsOp.SKIP_CONNECT, 1),
                        new Genotype.Edge(DartsOp.DIL_CONV_5X5, 2), new Genotype.Edge(DartsOp.AVG_POOL_3X3, 0),
                        new Genotype.Edge(DartsOp.MAX_POOL_3X3, 3), new Genotype.Edge(DartsOp.SEP_CONV_5X5, 1),
                        new Genotype.Edge(DartsOp.DIL_CONV_3X3, 4), new Genotype.Edge(DartsOp.SKIP_CONNECT, 2)),
                List.of(new Genotype.Edge(DartsOp.SKIP_CONNECT, 0), new Genotype.Edge(DartsOp.MAX_POOL_3X3, 1),
                        new Genotype.Edge(DartsOp.SKIP_CONNECT, 2), new Genotype.Edge(DartsOp.AVG_POOL_3X3, 1),
                        new Genotype.Edge(DartsOp.SEP_CONV_3X3, 0), new Genotype.Edge(DartsOp.DIL_CONV_3X3, 3),
                        new Genotype.Edge(DartsOp.SEP_CONV_5X5, 4), new Genotype.Edge(DartsOp.DIL_CONV_5X5, 1)));
        for (Architecture a : List.of(spiderNet(), DartsLowering.supernet(skeleton(), AlphaGroup.Mixing.SOFTMAX),
                DartsLowering.supernet(skeleton(), AlphaGroup.Mixing.GUMBEL), DartsLowering.derived(skeleton(), genotype))) {
            String json = ArchitectureJson.write(a);
            assertEquals(a, ArchitectureJson.read(json));
            assertEquals(json, ArchitectureJson.write(ArchitectureJson.read(json)), "writing is deterministic");
        }
    }

    @Test
    void spiderNetAndSupernetTogetherUseEveryOpTag() throws Exception {
        Set<String> tags = new HashSet<>();
        for (Architecture a : List.of(spiderNet(), DartsLowering.supernet(skeleton(), AlphaGroup.Mixing.SOFTMAX))) {
            JsonNode root = MAPPER.readTree(ArchitectureJson.write(a));
            assertEquals(a.nodes().size(), root.get("nodes").size());
            assertEquals(a.gates().size(), root.get("gates").size());
            assertEquals(a.alphas().size(), root.get("alpha_groups").size());
            for (JsonNode n : root.get("nodes")) {
                tags.add(n.get("op").asText());
            }
        }
        assertEquals(Set.of("input", "conv", "batch_norm", "relu", "pool", "subsample", "identity", "concat",
                "gated_sum", "weighted_sum", "classifier"), tags, "sum appears in derived networks only");
    }

    @Test
    void gatesKeepTheLabelsTheirWeightsAreSavedUnder() throws Exception {
        Architecture a = spiderNet();
        JsonNode gates = MAPPER.readTree(ArchitectureJson.write(a)).get("gates");
        for (int g = 0; g < a.gates().size(); g++) {
            assertEquals(a.gates().get(g).label(), gates.get(g).get("label").asText());
        }
    }

    @Test
    void malformedFilesNameTheJsonPath() throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(ArchitectureJson.write(spiderNet()));
        ((ObjectNode) root.get("nodes").get(1)).remove("kernel");
        assertMessage("nodes[1].kernel: missing", root);

        root = (ObjectNode) MAPPER.readTree(ArchitectureJson.write(spiderNet()));
        ((ObjectNode) root.get("nodes").get(2)).put("op", "softplus");
        assertMessage("nodes[2].op: unknown op 'softplus'", root);

        root = (ObjectNode) MAPPER.readTree(ArchitectureJson.write(spiderNet()));
        ((ObjectNode) root.get("nodes").get(1)).put("groups", 0);
        assertMessage("nodes[1]: bad convolution geometry", root);

        root = (ObjectNode) MAPPER.readTree(ArchitectureJson.write(DartsLowering.supernet(skeleton(), AlphaGroup.Mixing.SOFTMAX)));
        ((ObjectNode) root.get("alpha_groups").get(0)).put("mixing", "sparsemax");
        assertMessage("alpha_groups[0].mixing: expected softmax or gumbel", root);

        root = (ObjectNode) MAPPER.readTree(ArchitectureJson.write(spiderNet()));
        ((ObjectNode) root.get("nodes").get(1)).putArray("shape").add(5).add(15).add(13);
        assertMessage("architecture: architecture node 1 'stem.conv': recorded shape [5, 15, 13]", root);

        root.put("version", 2);
        assertMessage("version: this engine reads spidernet-architecture version 1, file has 2", root);
    }

    private static void assertMessage(String start, JsonNode root) {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> ArchitectureJson.read(root.toString()));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
