package org.spidernet.io;

import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.Genome;
import org.spidernet.graph.OpType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A genome drawn as a Graphviz DOT graph: one cluster per cell, its nodes and one arrow per edge
 * labelled with the ops still alive on it. Stride-2 edges are drawn bold and say so; an edge whose
 * ops were all pruned is dashed and labelled "zero". Each input node names its source (the stem
 * or an earlier cell) instead of an arrow from it: with dense inputs, such arrows would cross every
 * cell in between.
 *
 * <p>{@link #write} saves {@code <base>.dot} and, where Graphviz is installed, {@code <base>.svg}
 * and {@code <base>.png}. The picture is a convenience: a missing or failing {@code dot} is
 * reported in {@link Written#note()}, never thrown.
 */
public final class CellDiagram {
    private static final String[] FORMATS = {"svg", "png"};
    /** Ops per label line: keeps a full edge's label about as wide as a node. */
    private static final int OPS_PER_LINE = 3;

    private CellDiagram() {
    }

    /**
     * What {@link #write} produced.
     *
     * @param dot    the DOT file, always written
     * @param images the rendered pictures (svg, then png); empty when Graphviz is missing or failed
     * @param note   one line saying why there are no (or not all) pictures; empty when all were rendered
     */
    public record Written(Path dot, List<Path> images, Optional<String> note) {
        public Written {
            images = List.copyOf(images);
        }
    }

    /** Writes the diagram, rendered by the {@code dot} found on {@code PATH} if there is one. */
    public static Written write(Genome genome, Path dir, String baseName) throws IOException {
        return write(genome, dir, baseName, Graphviz.onPath());
    }

    /**
     * Writes {@code <baseName>.dot} into {@code dir} and renders it with {@code graphviz} when given.
     *
     * @throws IOException only when the DOT file itself cannot be written
     */
    public static Written write(Genome genome, Path dir, String baseName, Optional<Graphviz> graphviz)
            throws IOException {
        return render(toDot(genome), dir, baseName, graphviz);
    }

    /**
     * Writes DOT source as {@code <baseName>.dot} into {@code dir} and renders it with
     * {@code graphviz} when given: how every space's diagrams reach the run directory.
     *
     * @throws IOException only when the DOT file itself cannot be written
     */
    public static Written render(String dotSource, Path dir, String baseName, Optional<Graphviz> graphviz)
            throws IOException {
        if (baseName.isBlank() || baseName.contains("/") || baseName.contains(File.separator)) {
            throw new IllegalArgumentException("base name must be a plain file name: '" + baseName + "'");
        }
        Path dot = dir.resolve(baseName + ".dot");
        AtomicFiles.writeString(dot, dotSource);
        List<Path> images = new ArrayList<>();
        String note = null;
        if (graphviz.isEmpty()) {
            note = "Graphviz 'dot' not found on PATH; wrote " + dot.getFileName() + " only";
        } else {
            for (String format : FORMATS) {
                try {
                    Path image = dir.resolve(baseName + "." + format);
                    graphviz.get().render(dot, format, image);
                    images.add(image);
                } catch (IOException e) {
                    // later formats would fail the same way (and could each wait out the timeout)
                    note = e.getMessage() + "; kept " + dot.getFileName();
                    break;
                }
            }
        }
        // A picture left from an earlier write would contradict the new DOT file.
        for (String format : FORMATS) {
            Path image = dir.resolve(baseName + "." + format);
            if (!images.contains(image)) {
                Files.deleteIfExists(image);
            }
        }
        return new Written(dot, images, Optional.ofNullable(note));
    }

    /** The DOT source of the whole genome. */
    public static String toDot(Genome genome) {
        StringBuilder s = new StringBuilder();
        s.append("digraph genome {\n");
        s.append("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, "
                + "nodesep=0.25, ranksep=0.55, newrank=true, label=").append(quote(title(genome))).append("];\n");
        s.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        s.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        // Every input node shares the first rank, so each cell reads left to right from its inputs
        // and the cells stack vertically. dot fills a shared rank bottom-up in declaration order
        // under rankdir=LR, hence the last cell first: cell 0 ends up at the top.
        for (int k = genome.cells().size() - 1; k >= 0; k--) {
            appendCell(s, genome, genome.cell(k));
        }
        StringJoiner inputs = new StringJoiner("; ");
        for (Cell cell : genome.cells()) {
            for (int n = 0; n < cell.inputs(); n++) {
                inputs.add(nodeId(cell.index(), n));
            }
        }
        s.append("  { rank=same; ").append(inputs).append("; }\n");
        s.append("}\n");
        return s.toString();
    }

    /** The DOT node id of node {@code node} of cell {@code cell}; unique across the graph. */
    static String nodeId(int cell, int node) {
        return "c" + cell + "n" + node;
    }

    /** The DOT label of one genome edge: stride, then its ops. */
    static String edgeLabel(Cell cell, Edge e) {
        String ops;
        if (e.isEmpty()) {
            ops = "zero";
        } else if (e.ops().equals(OpType.CANDIDATES)) {
            ops = "all " + OpType.CANDIDATES.size() + " ops";
        } else {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < e.ops().size(); i++) {
                if (i > 0) {
                    b.append(i % OPS_PER_LINE == 0 ? "\n" : " ");
                }
                b.append(shortName(e.ops().get(i)));
            }
            ops = b.toString();
        }
        return cell.strideOf(e) == 2 ? "stride 2\n" + ops : ops;
    }

    private static void appendCell(StringBuilder s, Genome genome, Cell cell) {
        int k = cell.index();
        String title = "cell " + k + " (" + genome.cellChannels(k) + " channels" + (cell.isReduction() ? ", reduction" : "") + ")";
        s.append("  subgraph cluster_").append(k).append(" {\n");
        s.append("    label=").append(quote(title)).append("; style=rounded; color=gray50; labeljust=c;\n");
        for (int n = 0; n < cell.nodes(); n++) {
            s.append("    ").append(nodeId(k, n)).append(" [").append(nodeStyle(cell, n)).append("];\n");
        }
        for (Edge e : cell.edges()) {
            s.append("    ").append(nodeId(k, e.from())).append(" -> ").append(nodeId(k, e.to()))
                    .append(" [label=").append(quote(edgeLabel(cell, e)));
            if (e.isEmpty()) {
                s.append(", style=dashed, color=gray55, fontcolor=gray40");
            } else if (cell.strideOf(e) == 2) {
                s.append(", penwidth=2.2, color=\"#1f5fa8\", fontcolor=\"#1f5fa8\"");
            }
            s.append("];\n");
        }
        s.append("  }\n");
    }

    private static String nodeStyle(Cell cell, int n) {
        if (cell.isInputNode(n)) {
            String source = n == 0 ? "stem" : "cell " + (n - 1);
            return "label=" + quote("in " + n + ": " + source)
                    + ", shape=box, style=\"rounded,filled\", fillcolor=\"#e3eef9\"";
        }
        if (n == cell.outputNode()) {
            return "label=\"out\", shape=box, style=\"rounded,filled\", fillcolor=\"#fde9c9\"";
        }
        return "label=\"" + n + "\", shape=circle, width=0.35, fixedsize=true";
    }

    private static String title(Genome g) {
        int ops = 0;
        for (Cell c : g.cells()) {
            ops += c.opCount();
        }
        // The key to the abbreviations, pools on one line and convolutions on the next, so the
        // title is not much wider than a cell.
        StringBuilder legend = new StringBuilder();
        OpType previous = null;
        for (OpType op : OpType.CANDIDATES) {
            if (previous != null) {
                legend.append(previous.kernel() == 0 && op.kernel() > 0 ? "\n" : ", ");
            }
            legend.append(shortName(op)).append(" = ").append(op.jsonName());
            previous = op;
        }
        return "SpiderNet genome: " + g.input().channels() + "x" + g.input().height() + "x" + g.input().width()
                + " input, " + g.channels() + " channels, " + g.reductions() + " reductions, "
                + g.edgeCount() + " edges, " + ops + " live ops\n"
                + legend + "\nbold blue: stride 2; dashed: every op pruned";
    }

    /** Abbreviations keep edge labels short enough that a grown cell stays legible. */
    static String shortName(OpType op) {
        return switch (op) {
            case IDENTITY -> "id";
            case MAX_POOL_3X3 -> "max3";
            case AVG_POOL_3X3 -> "avg3";
            case SEP_CONV_3X3 -> "sep3";
            case SEP_CONV_5X5 -> "sep5";
            case DIL_CONV_3X3 -> "dil3";
            case DIL_CONV_5X5 -> "dil5";
            case ZERO -> "zero";
        };
    }

    /** A DOT string literal; newlines become centred line breaks. */
    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
