package org.spidernet.graph.ir;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {

    @Test
    void shapesAreInferredNodeByNode() {
        ArchitectureBuilder b = new ArchitectureBuilder(3, 32, 32);
        int conv = b.add("conv", new NodeOp.Conv(8, new ConvGeometry(3, 2, 1, 1, 1)), -1, 0);
        assertEquals(Shape.map(8, 16, 16), b.shape(conv));
        int dw = b.add("dw", new NodeOp.Conv(8, new ConvGeometry(5, 1, 4, 2, 8)), -1, conv);
        assertEquals(Shape.map(8, 16, 16), b.shape(dw));
        int pool = b.add("pool", new NodeOp.Pool(true, new PoolGeometry(3, 2, 1)), -1, dw);
        assertEquals(Shape.map(8, 8, 8), b.shape(pool));
        int sub = b.add("sub", new NodeOp.Subsample(2), -1, b.add("odd", new NodeOp.Conv(8, ConvGeometry.dense(2, 1, 0)), -1, pool));
        assertEquals(Shape.map(8, 4, 4), b.shape(sub), "ceil(7 / 2)");
        int head = b.add("head", new NodeOp.Classifier(10), -1, sub);
        assertEquals(Shape.vector(10), b.shape(head));
        b.head(head, 1.0);
        Architecture a = b.build();
        assertEquals(10, a.classes());
        assertEquals(new NodeOp.Input(3, 32, 32), a.input());
    }

    @Test
    void badWiringIsRefusedNamingTheNode() {
        ArchitectureBuilder b = new ArchitectureBuilder(4, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.add("grouped", new NodeOp.Conv(6, new ConvGeometry(3, 1, 1, 1, 4)), -1, 0));
        assertTrue(e.getMessage().startsWith("node 'grouped': conv3x3:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.add("late", new NodeOp.Relu(), -1, 5));
        assertTrue(e.getMessage().contains("input 5 does not exist"), e.getMessage());
        int half = b.add("half", new NodeOp.Subsample(2), -1, 0);
        int g0 = b.gate(new Gate(0, 0, 1, "identity", false));
        int g1 = b.gate(new Gate(0, 0, 1, "max_pool_3x3", true));
        e = assertThrows(IllegalArgumentException.class,
                () -> b.add("sum", new NodeOp.GatedSum(List.of(g0, g1), Shape.map(4, 8, 8)), -1, 0, half));
        assertTrue(e.getMessage().contains("does not match the sum's [4, 8, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.add("big", new NodeOp.Pool(false, new PoolGeometry(9, 1, 0)), -1, 0));
        assertTrue(e.getMessage().contains("window larger"), e.getMessage());
    }

    @Test
    void theWholeGraphIsCheckedOnConstruction() {
        ArchitectureBuilder b = new ArchitectureBuilder(1, 4, 4);
        b.gate(new Gate(0, 0, 1, "identity", false));
        int head = b.add("head", new NodeOp.Classifier(2), -1, 0);
        b.head(head, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("gate cell0:0->1:identity is used by 0 gated sums"), e.getMessage());

        ArchitectureBuilder noHead = new ArchitectureBuilder(1, 4, 4);
        noHead.add("relu", new NodeOp.Relu(), -1, 0);
        e = assertThrows(IllegalArgumentException.class, noHead::build);
        assertEquals("architecture: no classifier head", e.getMessage());

        Node in = new Node(0, "input", new NodeOp.Input(1, 4, 4), List.of(), Shape.map(1, 4, 4), -1);
        Node lying = new Node(1, "relu", new NodeOp.Relu(), List.of(0), Shape.map(2, 4, 4), -1);
        e = assertThrows(IllegalArgumentException.class, () -> new Architecture(List.of(in, lying), List.of(), List.of(), List.of()));
        assertTrue(e.getMessage().contains("recorded shape [2, 4, 4] but relu gives [1, 4, 4]"), e.getMessage());
        Node twice = new Node(1, "input", new NodeOp.Relu(), List.of(0), Shape.map(1, 4, 4), -1);
        e = assertThrows(IllegalArgumentException.class, () -> new Architecture(List.of(in, twice), List.of(), List.of(), List.of()));
        assertTrue(e.getMessage().contains("name used twice"), e.getMessage());
    }

    @Test
    void shapesAreValuesAndVectorsHaveNoExtent() {
        assertEquals(Shape.map(2, 3, 4), Shape.map(2, 3, 4));
        assertEquals(Shape.map(2, 3, 4).hashCode(), Shape.map(2, 3, 4).hashCode());
        assertEquals(List.of(5, 2, 3, 4), java.util.Arrays.stream(Shape.map(2, 3, 4).batched(5)).boxed().toList());
        assertThrows(IllegalStateException.class, () -> Shape.vector(3).height());
        assertThrows(IllegalArgumentException.class, () -> Shape.map(0, 1, 1));
    }
}
