package org.spidernet.graph.dag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DagTest {

    /** A random DAG on n vertices: random edges between a random order's earlier and later vertices. */
    private static Dag randomDag(int n, Random rnd) {
        int[] order = DagTestSupport.shuffled(n, rnd);
        double density = rnd.nextDouble();
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (rnd.nextDouble() < density) {
                    edges.add(new int[]{order[i], order[j]});
                }
            }
        }
        return Dag.of(n, edges.toArray(new int[0][]));
    }

    @Test
    void canonicalIsInvariantUnderRandomRelabellings() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 3000; trial++) {
            Dag d = randomDag(1 + rnd.nextInt(Dag.MAX_VERTICES), rnd);
            Dag relabelled = DagTestSupport.relabel(d, DagTestSupport.shuffled(d.vertices(), rnd));
            Dag c = d.canonical();
            assertEquals(c, relabelled.canonical(), "seed " + seed + ": " + d + " and its relabelling " + relabelled);
            assertTrue(c.isTopologicallyLabelled(), "seed " + seed + ": " + c);
            assertEquals(d.edgeCount(), c.edgeCount(), "seed " + seed + ": " + d);
            assertEquals(c, c.canonical(), "seed " + seed + ": canonical is idempotent on " + c);
        }
    }

    @Test
    void canonicalFormsAreEqualExactlyForIsomorphicDagsByBruteForce() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        List<int[]> perms = DagLibraryTest.permutations(5);
        for (int trial = 0; trial < 400; trial++) {
            Dag a = randomDag(5, rnd);
            Dag b = randomDag(5, rnd);
            boolean isomorphic = perms.stream().anyMatch(p -> DagTestSupport.relabel(a, p).equals(b));
            assertEquals(isomorphic, a.canonical().equals(b.canonical()), "seed " + seed + ": " + a + " and " + b);
        }
    }

    @Test
    void nonIsomorphicDagsWithEqualDegreesAndDepthsGetDifferentCanonicalForms() {
        // four sources and four sinks, every source to two sinks: one 8-cycle against two 4-cycles;
        // every vertex has the same degrees and depth as its counterpart, which colour refinement cannot split
        Dag ring = Dag.parse("8:0-1,2-1,2-3,4-3,4-5,6-5,6-7,0-7");
        Dag twoSquares = Dag.parse("8:0-1,2-1,2-3,0-3,4-5,6-5,6-7,4-7");
        assertEquals(degrees(ring), degrees(twoSquares));
        assertNotEquals(ring.canonical(), twoSquares.canonical());
        // a smaller pair: one source feeding a chain's middle against one feeding its end
        Dag middle = Dag.parse("5:0-1,1-2,3-1,3-4");
        Dag other = Dag.parse("5:0-1,1-2,3-2,3-4");
        assertNotEquals(middle.canonical(), other.canonical());
    }

    private static List<String> degrees(Dag d) {
        List<String> out = new ArrayList<>();
        for (int v = 0; v < d.vertices(); v++) {
            out.add(d.predecessors(v).length + "/" + d.successors(v).length);
        }
        out.sort(null);
        return out;
    }

    @Test
    void codeAndParseRoundTrip() {
        Dag d = Dag.of(4, new int[][]{{2, 3}, {0, 1}, {1, 3}});
        assertEquals("4:0-1,1-3,2-3", d.code());
        assertEquals(d.code(), d.toString());
        assertEquals(d, Dag.parse("4:0-1,1-3,2-3"));
        assertEquals("3:", Dag.parse("3:").code());
        assertEquals(0, Dag.parse("3:").edgeCount());
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            Dag r = randomDag(1 + rnd.nextInt(Dag.MAX_VERTICES), rnd);
            assertEquals(r, Dag.parse(r.code()), "seed " + seed);
        }
    }

    @Test
    void accessorsDescribeTheEdges() {
        Dag d = Dag.parse("5:0-2,1-2,2-3,0-4"); // 0 and 1 feed 2, 2 feeds 3; 0 also feeds 4
        assertTrue(d.hasEdge(0, 2));
        assertFalse(d.hasEdge(2, 0));
        assertEquals(4, d.edgeCount());
        assertArrayEquals(new int[][]{{0, 2}, {0, 4}, {1, 2}, {2, 3}}, d.edges());
        assertArrayEquals(new int[]{0, 1}, d.predecessors(2));
        assertArrayEquals(new int[]{2, 4}, d.successors(0));
        assertArrayEquals(new int[]{0, 1}, d.sources());
        assertArrayEquals(new int[]{3, 4}, d.sinks());
        assertEquals(2, d.longestPath());
        assertEquals(0, Dag.parse("3:").longestPath());
        Dag backwards = Dag.parse("4:3-2,2-1,1-0");
        assertArrayEquals(new int[]{3, 2, 1, 0}, backwards.topologicalOrder());
        assertEquals(3, backwards.longestPath());
        assertThrows(IndexOutOfBoundsException.class, () -> d.successors(5));
    }

    @Test
    void equalityIsOnTheLabelledStructure() {
        Dag a = Dag.parse("3:0-1");
        Dag b = Dag.parse("3:1-2");
        assertEquals(a, Dag.of(3, new int[][]{{0, 1}}));
        assertEquals(a.hashCode(), Dag.of(3, new int[][]{{0, 1}}).hashCode());
        assertNotEquals(a, b, "isomorphic, differently labelled");
        assertEquals(a.canonical(), b.canonical());
        assertNotEquals(Dag.parse("3:"), Dag.parse("4:"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0-1|a DAG has 1 to 8 vertices, got 0",
            "9||a DAG has 1 to 8 vertices, got 9",
            "3|0-3|edge 0->3 names vertex 3, outside 0..2",
            "3|-1-2|edge -1->2 names vertex -1, outside 0..2",
            "3|1-1|edge 1->1 is a self-loop at vertex 1",
            "3|0-1,1-2,0-1|edge 0->1 is given twice",
            "4|0-1,1-2,2-3,3-1|the edges form a cycle through vertices 1 -> 2 -> 3 -> 1",
            "2|0-1,1-0|the edges form a cycle through vertices 0 -> 1 -> 0"})
    void ofRefusesBadInputNamingTheFault(int vertices, String edges, String message) {
        int[][] e = edges == null ? new int[0][] : Arrays.stream(edges.split(","))
                .map(s -> s.startsWith("-") ? new int[]{-Integer.parseInt(s.substring(1).split("-")[0]), Integer.parseInt(s.substring(1).split("-")[1])}
                        : new int[]{Integer.parseInt(s.split("-")[0]), Integer.parseInt(s.split("-")[1])})
                .toArray(int[][]::new);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Dag.of(vertices, e));
        assertEquals(message, ex.getMessage());
    }

    @Test
    void ofRefusesAnEdgeThatIsNotTwoVertices() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Dag.of(3, new int[][]{{0, 1, 2}}));
        assertEquals("edge 0 is [0, 1, 2], expected two vertices {from, to}", ex.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|no ':' after the vertex count (expected e.g. 4:0-1,1-3)",
            "4 0-1|no ':' after the vertex count (expected e.g. 4:0-1,1-3)",
            ":0-1|the vertex count: '' is not a vertex number",
            "x:|the vertex count: 'x' is not a vertex number",
            "99999999999:|the vertex count: '99999999999' is not a vertex number",
            "3:0-1,|edge '' is not from-to",
            "3:01|edge '01' is not from-to",
            "3:a-1|edge 'a-1': 'a' is not a vertex number",
            "3:0-1-2|edge '0-1-2': '1-2' is not a vertex number",
            "3: 0-1|edge ' 0-1': ' 0' is not a vertex number",
            "9:|a DAG has 1 to 8 vertices, got 9",
            "3:0-0|edge 0->0 is a self-loop at vertex 0",
            "3:0-5|edge 0->5 names vertex 5, outside 0..2",
            "3:0-1,0-1|edge 0->1 is given twice",
            "3:0-1,1-2,2-0|the edges form a cycle through vertices 0 -> 1 -> 2 -> 0"})
    void parseRefusesMalformedTextNamingItAndTheFault(String code, String fault) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Dag.parse(code));
        assertEquals("cannot read DAG code '" + code + "': " + fault, ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count());
    }

    @Test
    void parseKeepsItsMessageOnOneLine() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Dag.parse("3:0-1\n1-2"));
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
        assertEquals("a DAG code is required, got null", assertThrows(IllegalArgumentException.class, () -> Dag.parse(null)).getMessage());
    }
}
