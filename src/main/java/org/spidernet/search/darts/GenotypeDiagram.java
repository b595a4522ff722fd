package org.spidernet.search.darts;

import java.util.List;

/**
 * A derived DARTS cell as Graphviz DOT, drawn as the DARTS paper draws its cells: the two inputs
 * c_{k-2} and c_{k-1}, inner nodes 0..3, every chosen edge labelled with its op, and the output
 * c_{k} fed by all inner nodes (their concatenation). One graph holds the normal and the
 * reduction cell side by side.
 */
public final class GenotypeDiagram {
    private GenotypeDiagram() {
    }

    public static String toDot(Genotype g) {
        StringBuilder s = new StringBuilder("digraph genotype {\n  rankdir=LR;\n  node [shape=box, style=filled, fontname=Helvetica];\n"
                + "  edge [fontname=Helvetica, fontsize=10];\n");
        cell(s, "normal", g.normal());
        cell(s, "reduce", g.reduce());
        return s.append("}\n").toString();
    }

    private static void cell(StringBuilder s, String name, List<Genotype.Edge> edges) {
        s.append("  subgraph cluster_").append(name).append(" {\n    label=\"").append(name).append(" cell\";\n");
        s.append("    ").append(name).append("_in0 [label=\"c_{k-2}\", fillcolor=darkseagreen2];\n");
        s.append("    ").append(name).append("_in1 [label=\"c_{k-1}\", fillcolor=darkseagreen2];\n");
        for (int i = 0; i < DartsSkeleton.NODES; i++) {
            s.append("    ").append(name).append("_n").append(i).append(" [label=\"").append(i).append("\", fillcolor=lightblue];\n");
        }
        s.append("    ").append(name).append("_out [label=\"c_{k}\", fillcolor=palegoldenrod];\n");
        for (int k = 0; k < edges.size(); k++) {
            Genotype.Edge e = edges.get(k);
            String from = e.from() < 2 ? name + "_in" + e.from() : name + "_n" + (e.from() - 2);
            s.append("    ").append(from).append(" -> ").append(name).append("_n").append(k / 2)
                    .append(" [label=\"").append(e.op().jsonName()).append("\"];\n");
        }
        for (int i = 0; i < DartsSkeleton.NODES; i++) {
            s.append("    ").append(name).append("_n").append(i).append(" -> ").append(name).append("_out [color=gray];\n");
        }
        s.append("  }\n");
    }
}
