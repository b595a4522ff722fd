package org.spidernet.graph.dag;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DagEditsTest {

    private static final Dag CHAIN = Dag.parse("3:0-1,1-2");

    /** Whether {@code b} is one edit from {@code a}, checked by undoing the edit with the public API. */
    private static boolean oneEditApart(Dag a, Dag b) {
        if (a.vertices() == b.vertices()) {
            Dag more = a.edgeCount() > b.edgeCount() ? a : b;
            Dag fewer = more == a ? b : a;
            return more.edgeCount() == fewer.edgeCount() + 1 && java.util.Arrays.stream(more.edges())
                    .anyMatch(e -> DagTestSupport.withoutEdge(more, e).canonical().equals(fewer.canonical()));
        }
        Dag big = a.vertices() > b.vertices() ? a : b;
        Dag small = big == a ? b : a;
        boolean grew = big == b;
        return big.vertices() == small.vertices() + 1 && IntStream.range(0, big.vertices())
                // a vertex added carries at most one edge; one removed takes all its own
                .filter(v -> !grew || big.predecessors(v).length + big.successors(v).length <= 1)
                .anyMatch(v -> DagTestSupport.withoutVertex(big, v).canonical().equals(small.canonical()));
    }

    @Test
    void neighboursAreOneEditAwayInRangeCanonicalDistinctAndSorted() {
        DagLibrary fade = DagLibrary.fade();
        for (int i = 0; i < fade.size(); i += 23) { // every 23rd: all sizes and many shapes, in a fraction of the time
            Dag d = fade.get(i);
            List<Dag> next = DagEdits.neighbours(d, 3, 6);
            assertFalse(next.isEmpty(), d.code());
            Set<Dag> seen = new HashSet<>();
            String previous = "";
            for (Dag n : next) {
                assertTrue(n.vertices() >= 3 && n.vertices() <= 6, d + " -> " + n);
                assertEquals(n, n.canonical(), d + " -> " + n);
                assertNotEquals(d.canonical(), n, d + " is not its own neighbour");
                assertTrue(seen.add(n), d + " -> " + n + " twice");
                assertTrue(n.code().compareTo(previous) > 0, d + ": sorted by code");
                assertTrue(oneEditApart(d, n), d + " -> " + n + " is not one edit");
                previous = n.code();
            }
        }
    }

    @Test
    void theChainsNeighboursAreTheOnesWorkedOutByHand() {
        // 3 vertices: remove either edge (one class), add 0->2 (the other additions close a cycle);
        // 4 vertices: a fourth vertex isolated or joined to or from one of the three
        assertEquals(List.of("3:0-1,0-2,1-2", "3:1-2", "4:0-1,0-2,2-3", "4:0-1,1-2,1-3", "4:0-1,1-2,2-3",
                        "4:0-2,1-2,2-3", "4:0-3,1-2,2-3", "4:1-2,2-3"),
                DagEdits.neighbours(CHAIN, 3, 6).stream().map(Dag::code).toList());
        assertEquals(List.of("3:0-1,0-2,1-2", "3:1-2"), DagEdits.neighbours(CHAIN, 3, 3).stream().map(Dag::code).toList());
        assertEquals(List.of("2:", "2:0-1"), DagEdits.neighbours(CHAIN, 2, 2).stream().map(Dag::code).toList(),
                "removing the middle vertex leaves two isolated ones, an end one edge");
    }

    @Test
    void everyLibraryDagIsReachableFromTheChainAndEdgeEditsAreSymmetric() {
        DagLibrary fade = DagLibrary.fade();
        Set<Dag> library = new HashSet<>(fade.all()); // neighbours are canonical: plain lookups suffice
        Map<Dag, List<Dag>> graph = new HashMap<>();
        Deque<Dag> queue = new ArrayDeque<>(List.of(CHAIN));
        graph.put(CHAIN, null);
        while (!queue.isEmpty()) {
            Dag d = queue.poll();
            List<Dag> next = DagEdits.neighbours(d, DagLibrary.FADE_MIN, DagLibrary.FADE_MAX);
            graph.put(d, next);
            for (Dag n : next) {
                assertTrue(library.contains(n), n::code);
                if (!graph.containsKey(n)) {
                    graph.put(n, null);
                    queue.add(n);
                }
            }
        }
        assertEquals(fade.size(), graph.size(), "the edit graph over 3..6 vertices is connected");
        // adding and removing an edge undo each other (a vertex added carries one edge at most, one removed all its own)
        graph.forEach((d, next) -> next.stream().filter(n -> n.vertices() == d.vertices())
                .forEach(n -> assertTrue(graph.get(n).contains(d), () -> n + " leads back to " + d)));
    }

    @Test
    void aRandomWalkIsAFunctionOfItsSeed() {
        Dag a = DagEdits.randomWalk(CHAIN, 25, 3, 6, new Random(7));
        Dag b = DagEdits.randomWalk(CHAIN, 25, 3, 6, new Random(7));
        assertEquals(a, b);
        assertTrue(DagLibrary.fade().contains(a));
        Set<Dag> ends = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            ends.add(DagEdits.randomWalk(CHAIN, 25, 3, 6, new Random(seed)));
        }
        assertTrue(ends.size() > 5, "walks from different seeds spread out: " + ends);
        assertSame(CHAIN, DagEdits.randomWalk(CHAIN, 0, 3, 6, new Random(1)));
        Dag lone = Dag.parse("1:");
        assertSame(lone, DagEdits.randomWalk(lone, 5, 1, 1, new Random(1)), "no neighbours: the walk stays");
    }

    @Test
    void badArgumentsAreRefused() {
        assertEquals("DAG edits need 1 <= min <= max <= 8 vertices, got min 4, max 3",
                assertThrows(IllegalArgumentException.class, () -> DagEdits.neighbours(CHAIN, 4, 3)).getMessage());
        assertEquals("DAG edits need 1 <= min <= max <= 8 vertices, got min 0, max 9",
                assertThrows(IllegalArgumentException.class, () -> DagEdits.randomWalk(CHAIN, 1, 0, 9, new Random(1))).getMessage());
        assertEquals("a random walk takes 0 or more steps, got -1",
                assertThrows(IllegalArgumentException.class, () -> DagEdits.randomWalk(CHAIN, -1, 3, 6, new Random(1))).getMessage());
    }
}
