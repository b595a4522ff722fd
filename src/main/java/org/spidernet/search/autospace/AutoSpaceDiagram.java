package org.spidernet.search.autospace;

/**
 * An AutoSpace network as Graphviz DOT: one cluster per layer (width and stride in its label)
 * with the layer's entry as vertex 0, an edge per op labelled with it, and the loose ends
 * feeding the layer's output, which is the next layer's input.
 */
public final class AutoSpaceDiagram {
    private AutoSpaceDiagram() {
    }

    public static String toDot(AutoNetwork n) {
        StringBuilder s = new StringBuilder("digraph autospace {\n  rankdir=LR;\n  node [shape=box, style=filled, fontname=Helvetica];\n"
                + "  edge [fontname=Helvetica, fontsize=10];\n  input [label=\"input + stem\", fillcolor=darkseagreen2];\n");
        String previous = "input";
        for (int l = 0; l < n.target().size(); l++) {
            TargetLayer layer = n.target().layer(l);
            AutoCell c = n.cells().get(l);
            String p = "l" + l;
            s.append("  subgraph cluster_").append(p).append(" {\n    label=\"layer ").append(l).append(": C=")
                    .append(layer.channels()).append(layer.stride() == 2 ? ", stride 2" : "").append("\";\n");
            s.append("    ").append(p).append("_v0 [label=\"entry\", fillcolor=darkseagreen2];\n");
            for (int v = 1; v <= AutoCell.NODES; v++) {
                s.append("    ").append(p).append("_v").append(v).append(" [label=\"").append(v).append("\", fillcolor=lightblue];\n");
            }
            s.append("    ").append(p).append("_out [label=\"sum\", fillcolor=palegoldenrod];\n");
            for (AutoCell.Edge e : c.edges()) {
                s.append("    ").append(p).append("_v").append(e.from()).append(" -> ").append(p).append("_v").append(e.to())
                        .append(" [label=\"").append(e.op().jsonName()).append("\"];\n");
            }
            for (int v : c.looseEnds()) {
                s.append("    ").append(p).append("_v").append(v).append(" -> ").append(p).append("_out [color=gray];\n");
            }
            s.append("  }\n  ").append(previous).append(" -> ").append(p).append("_v0;\n");
            previous = p + "_out";
        }
        return s.append("  ").append(previous).append(" -> head;\n  head [label=\"classifier\", fillcolor=palegoldenrod];\n}\n").toString();
    }
}
