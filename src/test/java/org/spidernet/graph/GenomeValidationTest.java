package org.spidernet.graph;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeValidationTest {

    private static void assertInvalid(String expected, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    private static Genome with(Cell c) {
        Genome g = Genome.initial(InputSpec.FASHION_MNIST, 8, 1);
        return g.withCell(c);
    }

    @Test
    void rejectsBadGlobalNumbers() {
        assertInvalid("channels must be", () -> Genome.initial(InputSpec.FASHION_MNIST, 0, 1));
        assertInvalid("reductions must be", () -> Genome.initial(InputSpec.FASHION_MNIST, 8, -1));
        assertInvalid("exceeds", () -> Genome.initial(InputSpec.FASHION_MNIST, 8192, 3));
        assertInvalid("need 3 cells, found 2", () -> new Genome(InputSpec.FASHION_MNIST, 8, 2,
                List.of(Cell.initial(0, 1), Cell.initial(1, 2))));
        assertInvalid("classes", () -> new InputSpec(1, 28, 28, 1));
    }

    @Test
    void rejectsWrongCellShape() {
        assertInvalid("cell 1: must have 2 input nodes", () -> with(Cell.initial(1, 3)));
        assertInvalid("cell 1: index field says 0", () -> new Genome(InputSpec.FASHION_MNIST, 8, 1,
                List.of(Cell.initial(0, 1), new Cell(0, 2, 4, Cell.initial(1, 2).edges()))));
    }

    @Test
    void rejectsBadEdges() {
        assertInvalid("cell 1 edge 0->7: node index out of range",
                () -> with(new Cell(1, 2, 4, List.of(Edge.full(0, 2), Edge.full(1, 2), Edge.full(2, 3), Edge.full(0, 7)))));
        assertInvalid("cell 1 edge 0->1: enters input node 1",
                () -> with(new Cell(1, 2, 4, List.of(Edge.full(0, 1), Edge.full(0, 2), Edge.full(1, 2), Edge.full(2, 3)))));
        assertInvalid("cell 1 edge 3->2: edges must go from a lower",
                () -> with(new Cell(1, 2, 5, List.of(Edge.full(0, 2), Edge.full(1, 2), Edge.full(2, 3), Edge.full(3, 2), Edge.full(3, 4)))));
        assertInvalid("duplicate edge",
                () -> with(new Cell(1, 2, 4, List.of(Edge.full(0, 2), Edge.full(0, 2), Edge.full(1, 2), Edge.full(2, 3)))));
        assertInvalid("cell 1 node 3: has no incoming edge",
                () -> with(new Cell(1, 2, 5, List.of(Edge.full(0, 2), Edge.full(1, 2), Edge.full(2, 4)))));
        assertInvalid("cell 1 node 2: has no path to the output",
                () -> with(new Cell(1, 2, 4, List.of(Edge.full(0, 2), Edge.full(1, 3)))));
        assertInvalid("cell 1: has no edges", () -> with(new Cell(1, 2, 3, List.of())));
        assertInvalid("cell 1: needs at least one node beyond", () -> with(new Cell(1, 2, 2, List.of(Edge.full(0, 1)))));
        assertInvalid("listed twice", () -> new Edge(0, 1, List.of(OpType.IDENTITY, OpType.IDENTITY)));
        assertInvalid("negative node index", () -> new Edge(-1, 1, List.of()));
    }

    @Test
    void unknownOpNameListsKnownOnes() {
        assertInvalid("unknown op 'conv_7x7' (known: identity", () -> OpType.fromName("conv_7x7"));
    }
}
