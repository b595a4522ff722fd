package org.spidernet.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DOT text of initial and grown genomes, and rendering with, without and with a broken Graphviz. */
class CellDiagramTest {
    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Every cell is a cluster with its title, and every genome edge is exactly one DOT arrow. */
    private static void assertDrawsEveryCellAndEdge(Genome g, String dot) {
        for (Cell c : g.cells()) {
            int k = c.index();
            assertTrue(dot.contains("subgraph cluster_" + k + " {"), "no cluster for cell " + k);
            String title = "cell " + k + " (" + g.cellChannels(k) + " channels" + (k > 0 ? ", reduction" : "") + ")";
            assertTrue(dot.contains("label=\"" + title + "\""), "missing title " + title);
            for (int n = 0; n < c.inputs(); n++) {
                String source = n == 0 ? "stem" : "cell " + (n - 1);
                assertTrue(dot.contains(CellDiagram.nodeId(k, n) + " [label=\"in " + n + ": " + source + "\""));
            }
            assertTrue(dot.contains(CellDiagram.nodeId(k, c.outputNode()) + " [label=\"out\""));
            for (Edge e : c.edges()) {
                String arrow = CellDiagram.nodeId(k, e.from()) + " -> " + CellDiagram.nodeId(k, e.to()) + " [";
                assertEquals(1, count(dot, arrow), "edge " + e + " of cell " + k);
            }
        }
        assertEquals(g.edgeCount(), count(dot, " -> "), "arrows that are not genome edges");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String arrowLine(String dot, int cell, int from, int to) {
        String arrow = CellDiagram.nodeId(cell, from) + " -> " + CellDiagram.nodeId(cell, to) + " [";
        return dot.lines().filter(l -> l.contains(arrow)).findFirst().orElseThrow();
    }

    /** Cell 1 split twice and cell 0 once, one edge pruned to nothing and one partly. */
    private static Genome grown() {
        Genome g = Genome.initial(InputSpec.FASHION_MNIST, 4, 2);
        g = new EdgeSplit(1, 0, 2).applyTo(g); // cell 1: 0->2, 2->3, skip 0->3, 1->3, 3->4
        g = new EdgeSplit(1, 2, 3).applyTo(g); // cell 1: 0->2, 2->3, 3->4, skip 2->4, 0->4, 1->4, 4->5
        g = new EdgeSplit(0, 0, 1).applyTo(g);
        Cell c = g.cell(1);
        List<Edge> edges = new ArrayList<>();
        for (Edge e : c.edges()) {
            if (e.from() == 0 && e.to() == 4) {
                edges.add(e.without(EnumSet.allOf(OpType.class)));
            } else if (e.from() == 2 && e.to() == 4) {
                edges.add(e.without(EnumSet.of(OpType.MAX_POOL_3X3, OpType.SEP_CONV_5X5)));
            } else {
                edges.add(e);
            }
        }
        return g.withCell(c.withEdges(c.nodes(), edges));
    }

    @Test
    void initialGenomeDrawsEveryCellAndEdge() {
        Genome g = Genome.initial(InputSpec.FASHION_MNIST, 4, 2);
        String dot = CellDiagram.toDot(g);
        assertTrue(dot.startsWith("digraph genome {"));
        assertTrue(dot.stripTrailing().endsWith("}"));
        assertDrawsEveryCellAndEdge(g, dot);
        assertTrue(dot.contains("cell 0 (4 channels)\""));
        assertTrue(dot.contains("cell 2 (16 channels, reduction)\""));
        // cell 0 never strides; every edge leaving an input node of a reduction cell does
        assertFalse(arrowLine(dot, 0, 0, 1).contains("stride 2"));
        assertTrue(arrowLine(dot, 2, 2, 3).contains("stride 2"));
        assertFalse(arrowLine(dot, 2, 3, 4).contains("stride 2"));
        assertTrue(arrowLine(dot, 2, 3, 4).contains("label=\"all 7 ops\""));
    }

    @Test
    void grownGenomeDrawsNewNodesPrunedAndEmptyEdges() {
        Genome g = grown();
        String dot = CellDiagram.toDot(g);
        assertDrawsEveryCellAndEdge(g, dot);
        assertEquals(9 + 3 * 2, g.edgeCount());
        assertTrue(dot.contains(CellDiagram.nodeId(1, 3) + " [label=\"3\""), "inner node labelled by its index");
        String empty = arrowLine(dot, 1, 0, 4);
        assertTrue(empty.contains("style=dashed"), empty);
        assertTrue(empty.contains("label=\"stride 2\\nzero\""), empty);
        assertTrue(arrowLine(dot, 1, 2, 4).contains("label=\"id avg3 sep3\\ndil3 dil5\""));
        assertFalse(arrowLine(dot, 1, 2, 4).contains("dashed"));
        assertTrue(arrowLine(dot, 1, 0, 2).contains("stride 2"));
        assertFalse(arrowLine(dot, 1, 2, 3).contains("stride 2"), "inner edges of a reduction cell keep stride 1");
        assertEquals(1, count(dot, "style=dashed"), "only the empty edge is dashed");
    }

    @Test
    void rendersSvgAndPngWhenDotIsInstalled(@TempDir Path dir) throws IOException {
        Optional<Graphviz> dotProgram = Graphviz.onPath();
        Assumptions.assumeTrue(dotProgram.isPresent(), "Graphviz 'dot' is not on PATH: rendering not tested");
        CellDiagram.Written w = CellDiagram.write(grown(), dir, "genome");
        assertEquals(Optional.empty(), w.note());
        assertEquals(List.of(dir.resolve("genome.svg"), dir.resolve("genome.png")), w.images());
        assertEquals(CellDiagram.toDot(grown()), Files.readString(w.dot()));
        byte[] png = Files.readAllBytes(dir.resolve("genome.png"));
        assertTrue(png.length > 1000, "png of " + png.length + " bytes");
        byte[] head = new byte[PNG_MAGIC.length];
        System.arraycopy(png, 0, head, 0, head.length);
        assertArrayEquals(PNG_MAGIC, head);
        assertTrue(Files.readString(dir.resolve("genome.svg")).contains("<svg"));
        assertEquals(List.of("genome.dot", "genome.png", "genome.svg"), listing(dir), "scratch files left behind");
    }

    @Test
    void withoutDotWritesTheDotFileAndSaysWhy(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("genome.png"), "picture of an older genome");
        CellDiagram.Written w = CellDiagram.write(Genome.initial(InputSpec.FASHION_MNIST, 4, 2), dir, "genome",
                Optional.empty());
        assertTrue(Files.isRegularFile(w.dot()));
        assertEquals(List.of(), w.images());
        assertTrue(w.note().orElseThrow().contains("not found on PATH"), w.note().toString());
        assertEquals(List.of("genome.dot"), listing(dir), "a stale picture would contradict the new DOT file");
    }

    @Test
    void aFailingDotIsANoteNotAnError(@TempDir Path dir) throws IOException {
        Path fake = script(dir.resolve("bin"), "echo 'Error: syntax error in line 3' >&2\nexit 3\n");
        CellDiagram.Written w = CellDiagram.write(Genome.initial(InputSpec.FASHION_MNIST, 4, 1), dir.resolve("out"),
                "genome", Optional.of(new Graphviz(fake, Duration.ofSeconds(20))));
        String note = w.note().orElseThrow();
        assertTrue(note.contains("dot -Tsvg exited with status 3: Error: syntax error in line 3"), note);
        assertTrue(note.endsWith("; kept genome.dot"), note);
        assertFalse(note.contains("\n"));
        assertEquals(List.of(), w.images());
        assertEquals(List.of("genome.dot"), listing(dir.resolve("out")));
    }

    @Test
    void aHungDotIsStoppedAtTheTimeout(@TempDir Path dir) throws IOException {
        Path fake = script(dir.resolve("bin"), "exec sleep 30\n");
        long start = System.nanoTime();
        CellDiagram.Written w = CellDiagram.write(Genome.initial(InputSpec.FASHION_MNIST, 4, 1), dir.resolve("out"),
                "genome", Optional.of(new Graphviz(fake, Duration.ofMillis(300))));
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "waited for the hung program");
        assertTrue(w.note().orElseThrow().contains("no result after 0.3 s"), w.note().toString());
        assertEquals(List.of("genome.dot"), listing(dir.resolve("out")));
    }

    private static Path script(Path dir, String body) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve("dot");
        Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
