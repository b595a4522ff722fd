package org.spidernet.graph.random;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks and measures the generator tests share, written against RandomDag's public API only. */
final class GraphChecks {
    private GraphChecks() {
    }

    /**
     * Every edge low -> high and sorted, predecessor and successor lists agreeing with the edges,
     * inputs exactly the nodes without predecessors, outputs exactly those without successors.
     */
    static void assertOriented(RandomDag g) {
        int n = g.nodes();
        List<List<Integer>> pred = new ArrayList<>();
        List<List<Integer>> succ = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            pred.add(new ArrayList<>());
            succ.add(new ArrayList<>());
        }
        RandomDag.Edge previous = null;
        for (RandomDag.Edge e : g.edges()) {
            assertTrue(e.from() < e.to() && e.to() < n, g + ": edge " + e);
            assertTrue(previous == null || previous.compareTo(e) < 0, g + ": edges unsorted or repeated at " + e);
            previous = e;
            succ.get(e.from()).add(e.to());
            pred.get(e.to()).add(e.from());
        }
        List<Integer> inputs = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        int degreeSum = 0;
        for (int v = 0; v < n; v++) {
            assertArrayEquals(ints(pred.get(v)), g.predecessors(v), g + ": predecessors of " + v);
            assertArrayEquals(ints(succ.get(v)), g.successors(v), g + ": successors of " + v);
            assertEquals(pred.get(v).size() + succ.get(v).size(), g.degree(v), g + ": degree of " + v);
            degreeSum += g.degree(v);
            if (pred.get(v).isEmpty()) {
                inputs.add(v);
            }
            if (succ.get(v).isEmpty()) {
                outputs.add(v);
            }
        }
        assertEquals(2 * g.edgeCount(), degreeSum, g + ": handshake");
        assertArrayEquals(ints(inputs), g.inputs(), g + ": inputs");
        assertArrayEquals(ints(outputs), g.outputs(), g + ": outputs");
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The neighbours of {@code v} in the undirected graph, ascending. */
    static int[] neighbours(RandomDag g, int v) {
        int[] p = g.predecessors(v);
        int[] s = g.successors(v);
        int[] all = Arrays.copyOf(p, p.length + s.length);
        System.arraycopy(s, 0, all, p.length, s.length);
        Arrays.sort(all);
        return all;
    }

    /**
     * Watts and Strogatz's clustering coefficient: the mean over nodes of the fraction of a node's
     * neighbour pairs that are adjacent (nodes of degree below 2 count 0, as in NetworkX).
     */
    static double meanClustering(RandomDag g) {
        int n = g.nodes();
        boolean[][] adjacent = new boolean[n][n];
        for (RandomDag.Edge e : g.edges()) {
            adjacent[e.from()][e.to()] = adjacent[e.to()][e.from()] = true;
        }
        double sum = 0;
        for (int v = 0; v < n; v++) {
            int[] nb = neighbours(g, v);
            if (nb.length < 2) {
                continue;
            }
            int links = 0;
            for (int i = 0; i < nb.length; i++) {
                for (int j = i + 1; j < nb.length; j++) {
                    links += adjacent[nb[i]][nb[j]] ? 1 : 0;
                }
            }
            sum += links / (nb.length * (nb.length - 1) / 2.0);
        }
        return sum / n;
    }

    static int maxDegree(RandomDag g) {
        int max = 0;
        for (int v = 0; v < g.nodes(); v++) {
            max = Math.max(max, g.degree(v));
        }
        return max;
    }

    /** The call fails with a one-line IllegalArgumentException whose message contains every fragment. */
    static void assertOneLineError(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "message spans lines: " + message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "message '" + message + "' lacks '" + f + "'");
        }
    }
}
