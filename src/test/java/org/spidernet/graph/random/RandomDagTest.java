package org.spidernet.graph.random;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.spidernet.graph.random.GraphChecks.assertOneLineError;
import static org.spidernet.graph.random.GraphChecks.assertOriented;

class RandomDagTest {

    private static RandomDag.Edge e(int from, int to) {
        return new RandomDag.Edge(from, to);
    }

    /** 0 and 1 merge into 2, which feeds 3; 4 touches nothing. */
    private static final RandomDag MERGE = new RandomDag(5, List.of(e(2, 3), e(1, 2), e(0, 2)));

    @Test
    void listsNeighboursInputsAndOutputs() {
        assertEquals(List.of(e(0, 2), e(1, 2), e(2, 3)), MERGE.edges(), "sorted by from, then to");
        assertEquals(3, MERGE.edgeCount());
        assertArrayEquals(new int[]{0, 1}, MERGE.predecessors(2));
        assertArrayEquals(new int[]{3}, MERGE.successors(2));
        assertEquals(3, MERGE.degree(2));
        assertEquals(0, MERGE.degree(4));
        assertArrayEquals(new int[]{0, 1, 4}, MERGE.inputs());
        assertArrayEquals(new int[]{3, 4}, MERGE.outputs());
        assertEquals("5:0-2,1-2,2-3", MERGE.toString());
        assertOriented(MERGE);
    }

    @Test
    void aNodeWithoutEdgesIsBothInputAndOutput() {
        RandomDag lone = new RandomDag(3, List.of());
        assertArrayEquals(new int[]{0, 1, 2}, lone.inputs());
        assertArrayEquals(new int[]{0, 1, 2}, lone.outputs());
        RandomDag single = new RandomDag(1, List.of());
        assertArrayEquals(new int[]{0}, single.inputs());
        assertArrayEquals(new int[]{0}, single.outputs());
    }

    @Test
    void equalityIsByContentWhateverTheEdgeOrder() {
        RandomDag same = new RandomDag(5, List.of(e(0, 2), e(2, 3), e(1, 2)));
        assertEquals(MERGE, same);
        assertEquals(MERGE.hashCode(), same.hashCode());
        assertNotEquals(MERGE, new RandomDag(6, List.of(e(0, 2), e(2, 3), e(1, 2))), "one more node");
        assertNotEquals(MERGE, new RandomDag(5, List.of(e(0, 2), e(2, 3), e(1, 3))), "another edge");
    }

    @Test
    void isImmutable() {
        List<RandomDag.Edge> source = new ArrayList<>(List.of(e(0, 1)));
        RandomDag g = new RandomDag(2, source);
        source.add(e(0, 1));
        assertEquals(1, g.edgeCount(), "the constructor copies its list");
        assertThrows(UnsupportedOperationException.class, () -> g.edges().add(e(0, 1)));
        g.predecessors(1)[0] = 7;
        g.successors(0)[0] = 7;
        g.inputs()[0] = 7;
        g.outputs()[0] = 7;
        assertArrayEquals(new int[]{0}, g.predecessors(1));
        assertArrayEquals(new int[]{1}, g.successors(0));
        assertArrayEquals(new int[]{0}, g.inputs());
        assertArrayEquals(new int[]{1}, g.outputs());
    }

    @Test
    void rejectsMalformedEdgesAndNodes() {
        assertOneLineError(() -> e(2, 1), "2->1", "from must be below to");
        assertOneLineError(() -> e(1, 1), "1->1", "from must be below to");
        assertOneLineError(() -> e(-1, 2), "-1->2", "negative");
        assertOneLineError(() -> new RandomDag(0, List.of()), "nodes is 0");
        assertOneLineError(() -> new RandomDag(2, null), "edges is null");
        assertOneLineError(() -> new RandomDag(3, java.util.Arrays.asList(e(0, 1), null)), "null edge");
        assertOneLineError(() -> new RandomDag(3, List.of(e(0, 3))), "0->3", "outside 0..2");
        assertOneLineError(() -> new RandomDag(3, List.of(e(0, 1), e(1, 2), e(0, 1))), "0->1", "twice");
        assertOneLineError(() -> MERGE.predecessors(5), "node 5", "outside 0..4");
        assertOneLineError(() -> MERGE.degree(-1), "node -1");
    }
}
