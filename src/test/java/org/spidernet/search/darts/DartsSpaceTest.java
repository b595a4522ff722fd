package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.Node;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DartsSpaceTest {
    private static final InputSpec MNIST = new InputSpec(1, 28, 28, 10);

    @Test
    void theSupernetHasFourteenMixedEdgesOfSevenOpsPerCellAndTwoSharedAlphaGroups() {
        DartsSkeleton s = new DartsSkeleton(MNIST, 4, 5);
        Architecture a = DartsLowering.supernet(s, AlphaGroup.Mixing.SOFTMAX);
        assertEquals(List.of("normal", "reduce"), a.alphas().stream().map(AlphaGroup::name).toList());
        assertEquals(14, a.alphas().get(0).rows());
        assertEquals(DartsOp.names(), a.alphas().get(0).choices());
        List<Node> mixes = a.nodes().stream().filter(n -> n.op() instanceof NodeOp.WeightedSum).toList();
        assertEquals(4 * 5, mixes.size(), "four mixed nodes in each of five cells");
        int edgesSeen = 0;
        for (Node n : mixes) {
            NodeOp.WeightedSum w = (NodeOp.WeightedSum) n.op();
            int node = Integer.parseInt(n.name().replaceAll(".*node(\\d)\\.mix", "$1"));
            assertEquals((node + 2) * 7, n.inputs().size(), n.name());
            assertTrue(w.choices().stream().noneMatch(c -> c == DartsOp.NONE.ordinal()), "none has no op: " + n.name());
            edgesSeen += node + 2;
            int cell = Integer.parseInt(n.name().replaceAll("cell(\\d+)\\..*", "$1"));
            assertEquals(s.isReduction(cell) ? 1 : 0, w.group(), n.name());
        }
        assertEquals(14 * 5, edgesSeen);
        // reductions at layers / 3 = 1 and 2 layers / 3 = 3: 28 -> 14 -> 7, channels 4 -> 8 -> 16, output 4 x 16
        assertTrue(s.isReduction(1) && s.isReduction(3) && !s.isReduction(0) && !s.isReduction(2) && !s.isReduction(4));
        Node lastConcat = a.nodes().stream().filter(n -> n.name().equals("cell4.concat")).findFirst().orElseThrow();
        assertEquals(Shape.map(64, 7, 7), lastConcat.shape());
        assertEquals(10, a.classes());
    }

    @Test
    void aGenotypeDerivesANetworkWithTwoOpsPerNode() {
        Genotype g = RandomGenotypes.draw(new Random());
        Architecture a = new DartsNetwork(new DartsSkeleton(new InputSpec(3, 32, 32, 10), 6, 4), g).lower();
        assertTrue(a.alphas().isEmpty());
        List<Node> sums = a.nodes().stream().filter(n -> n.op() instanceof NodeOp.Sum).toList();
        assertEquals(4 * 4, sums.size());
        sums.forEach(n -> assertEquals(2, n.inputs().size(), n.name()));
        assertTrue(a.nodes().stream().noneMatch(n -> n.op() instanceof NodeOp.WeightedSum));
    }

    @Test
    void derivationKeepsTheTwoStrongestEdgesByTheirBestNonNoneOp() {
        double[] normal = new double[14 * 8];
        double[] reduce = new double[14 * 8];
        // node 0: edge 0 is mostly 'none' (ignored), its best real op is weak; edge 1 prefers dil_conv_5x5
        normal[0 * 8 + DartsOp.NONE.ordinal()] = 9;
        normal[0 * 8 + DartsOp.MAX_POOL_3X3.ordinal()] = 1;
        normal[1 * 8 + DartsOp.DIL_CONV_5X5.ordinal()] = 2;
        // node 1 (rows 2..4): edge from node 0 (state 2) strongest, then from input 0
        normal[(2 + 2) * 8 + DartsOp.SEP_CONV_3X3.ordinal()] = 3;
        normal[(2 + 0) * 8 + DartsOp.SKIP_CONNECT.ordinal()] = 2;
        Genotype g = GenotypeDerivation.derive(normal, reduce);
        List<Genotype.Edge> n = g.normal();
        assertEquals(new Genotype.Edge(DartsOp.DIL_CONV_5X5, 1), n.get(0));
        assertEquals(new Genotype.Edge(DartsOp.MAX_POOL_3X3, 0), n.get(1));
        assertEquals(new Genotype.Edge(DartsOp.SEP_CONV_3X3, 2), n.get(2));
        assertEquals(new Genotype.Edge(DartsOp.SKIP_CONNECT, 0), n.get(3));
        // all-equal rows: every non-none op ties, the first one (max pool) wins, lower states first
        assertEquals(new Genotype.Edge(DartsOp.MAX_POOL_3X3, 0), g.reduce().get(0));
        assertEquals(new Genotype.Edge(DartsOp.MAX_POOL_3X3, 1), g.reduce().get(1));
    }

    @Test
    void genotypeJsonRoundTripsAndNamesTheBadElement() {
        DartsNetwork n = new DartsNetwork(new DartsSkeleton(MNIST, 8, 5), RandomGenotypes.draw(new Random()));
        assertEquals(n, DartsNetworkJson.read(DartsNetworkJson.write(n)));
        String json = DartsNetworkJson.write(n);
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class,
                () -> DartsNetworkJson.read(json.replaceFirst("\"op\" : \"[a-z_0-9]+\"", "\"op\" : \"conv_9x9\"")));
        assertTrue(e.getMessage().startsWith("normal[0].op: unknown DARTS op 'conv_9x9'"), e.getMessage());
        e = assertThrows(InvalidGenomeException.class,
                () -> DartsNetworkJson.read(json.replaceFirst("\"layers\" : 5", "\"layers\" : 2")));
        assertTrue(e.getMessage().contains("layers must be in 3..64"), e.getMessage());
        e = assertThrows(InvalidGenomeException.class, () -> DartsNetworkJson.read("{\"format\": \"spidernet-genome\"}"));
        assertEquals("format: expected 'darts-genotype', found 'spidernet-genome'", e.getMessage());
        e = assertThrows(InvalidGenomeException.class, () -> DartsNetworkJson.read("[1, 2"));
        assertTrue(e.getMessage().startsWith("DARTS JSON is not valid JSON"), e.getMessage());
    }

    @Test
    void aGenotypeEdgeMustReadAnEarlierState() {
        List<Genotype.Edge> edges = new ArrayList<>(RandomGenotypes.draw(new Random()).normal());
        edges.set(0, new Genotype.Edge(DartsOp.SEP_CONV_3X3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Genotype(edges, edges));
        assertEquals("genotype normal cell, edge 0: node 0 can read states 0..1, not 2", e.getMessage());
    }

}
