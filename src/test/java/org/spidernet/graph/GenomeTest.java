package org.spidernet.graph;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeTest {

    @Test
    void initialNetForTwoReductionsHasNineEdges() {
        Genome g = Genome.initial(InputSpec.CIFAR10, 64, 2);
        assertEquals(3, g.cells().size());
        assertEquals(9, g.edgeCount());
        // cell 0: 0->1, 1->2
        assertEquals(List.of(Edge.full(0, 1), Edge.full(1, 2)), g.cell(0).edges());
        // cell 2: 0->3, 1->3, 2->3, 3->4
        assertEquals(List.of(Edge.full(0, 3), Edge.full(1, 3), Edge.full(2, 3), Edge.full(3, 4)), g.cell(2).edges());
        assertEquals(5, g.cell(2).nodes());
        for (Cell c : g.cells()) {
            for (Edge e : c.edges()) {
                assertEquals(7, e.ops().size());
            }
        }
    }

    @Test
    void geometryFollowsTheSpecExample() {
        Genome g = Genome.initial(InputSpec.CIFAR10, 64, 2);
        assertEquals(64, g.cellChannels(0));
        assertEquals(128, g.cellChannels(1));
        assertEquals(256, g.cellChannels(2));
        // cell 2's inputs: stem and cell 0 at 32 (stride 2 to 16), cell 1 at 16 (stride 1)
        assertEquals(1, Genome.inputLevel(2));
        assertEquals(0, Genome.sourceLevel(0));
        assertEquals(0, Genome.sourceLevel(1));
        assertEquals(1, Genome.sourceLevel(2));
        assertEquals(16, Genome.extentAt(32, Genome.inputLevel(2)));
        assertEquals(8, Genome.extentAt(32, Genome.outputLevel(2)));
        // odd sizes halve with ceiling arithmetic
        assertEquals(14, Genome.extentAt(28, 1));
        assertEquals(7, Genome.extentAt(28, 2));
        assertEquals(4, Genome.extentAt(28, 3));
    }

    @Test
    void stridesAreTwoOnlyOnEdgesLeavingInputsOfReductionCells() {
        Genome g = Genome.initial(InputSpec.CIFAR10, 8, 2);
        Cell c0 = g.cell(0);
        for (Edge e : c0.edges()) {
            assertEquals(1, c0.strideOf(e));
        }
        Cell c2 = g.cell(2);
        assertEquals(2, c2.strideOf(Edge.full(0, 3)));
        assertEquals(2, c2.strideOf(Edge.full(2, 3)));
        assertEquals(1, c2.strideOf(Edge.full(3, 4)));
    }

    @Test
    void splitInsertsNodeAndRenumbers() {
        Genome g = Genome.initial(InputSpec.CIFAR10, 8, 2);
        // cell 2: 0->3, 1->3, 2->3, 3->4 ; split 1->3 => new node 3; old 3 -> 4, old 4 -> 5
        Edge pruned = new Edge(1, 3, List.of(OpType.IDENTITY, OpType.SEP_CONV_3X3));
        Cell c = g.cell(2);
        List<Edge> edges = new java.util.ArrayList<>(c.edges());
        edges.set(c.edgeIndex(1, 3), pruned);
        g = g.withCell(c.withEdges(c.nodes(), edges));
        Genome s = new EdgeSplit(2, 1, 3).applyTo(g);
        Cell sc = s.cell(2);
        assertEquals(6, sc.nodes());
        assertEquals(List.of(
                Edge.full(1, 3),                              // new i -> j with all seven ops
                Edge.full(0, 4),                              // 0 -> old 3, renumbered
                new Edge(1, 4, pruned.ops()),                 // the original edge, now the skip i -> j+1
                Edge.full(2, 4),
                Edge.full(3, 4),                              // new j -> j+1
                Edge.full(4, 5)), sc.edges());                // old 3 -> 4 renumbered
        assertEquals(11, s.edgeCount());
        // other cells untouched
        assertEquals(g.cell(0), s.cell(0));
        assertEquals(g.cell(1), s.cell(1));
    }

    @Test
    void splittingTheFirstCellKeepsStrideOne() {
        Genome s = new EdgeSplit(0, 0, 1).applyTo(Genome.initial(InputSpec.FASHION_MNIST, 4, 1));
        Cell c = s.cell(0);
        assertEquals(List.of(Edge.full(0, 1), Edge.full(0, 2), Edge.full(1, 2), Edge.full(2, 3)), c.edges());
        for (Edge e : c.edges()) {
            assertEquals(1, c.strideOf(e));
        }
    }

    @Test
    void splitOfMissingEdgeIsRejected() {
        Genome g = Genome.initial(InputSpec.CIFAR10, 8, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new EdgeSplit(1, 0, 1).applyTo(g));
        assertTrue(e.getMessage().contains("no edge 0->1"), e.getMessage());
    }

    @Test
    void deadEndRemovalDropsEmptyEdgesAndStrandedNodes() {
        Genome g = new EdgeSplit(0, 0, 1).applyTo(Genome.initial(InputSpec.FASHION_MNIST, 4, 0));
        // cell 0 now: 0->1, 0->2, 1->2, 2->3. Prune everything on 0->1: node 1 loses its only input.
        Cell c = g.cell(0);
        List<Edge> edges = new java.util.ArrayList<>(c.edges());
        edges.set(c.edgeIndex(0, 1), new Edge(0, 1, List.of()));
        Cell pruned = c.withEdges(c.nodes(), edges);
        Cell cleaned = DeadEndRemoval.apply(pruned);
        // node 1 removed; old 2 -> 1, old 3 -> 2
        assertEquals(3, cleaned.nodes());
        assertEquals(List.of(Edge.full(0, 1), Edge.full(1, 2)), cleaned.edges());
    }

    @Test
    void deadEndRemovalDropsNodesWithoutPathToOutput() {
        Genome g = new EdgeSplit(0, 0, 1).applyTo(Genome.initial(InputSpec.FASHION_MNIST, 4, 0));
        Cell c = g.cell(0);
        List<Edge> edges = new java.util.ArrayList<>(c.edges());
        edges.set(c.edgeIndex(1, 2), new Edge(1, 2, List.of()));
        Cell cleaned = DeadEndRemoval.apply(c.withEdges(c.nodes(), edges));
        assertEquals(List.of(Edge.full(0, 1), Edge.full(1, 2)), cleaned.edges());
    }

    @Test
    void deadEndRemovalKeepsACellWhoseOutputIsCutOff() {
        Cell c = Cell.initial(0, 1);
        Cell cut = c.withEdges(c.nodes(), List.of(Edge.full(0, 1), new Edge(1, 2, List.of())));
        assertEquals(cut, DeadEndRemoval.apply(cut));
        assertFalse(DeadEndRemoval.apply(cut).edges().isEmpty());
    }

    @Test
    void edgeNormalisesOpOrderAndDropsZero() {
        Edge a = new Edge(0, 1, List.of(OpType.SEP_CONV_5X5, OpType.IDENTITY, OpType.ZERO));
        assertEquals(List.of(OpType.IDENTITY, OpType.SEP_CONV_5X5), a.ops());
        assertEquals(a, new Edge(0, 1, List.of(OpType.IDENTITY, OpType.SEP_CONV_5X5)));
    }
}
