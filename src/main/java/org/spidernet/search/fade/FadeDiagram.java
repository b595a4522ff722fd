package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;

/**
 * A FaDE network as Graphviz DOT: one cluster per stage (width and reduction in its label) with the
 * stage's entry feeding the DAG's sources, an edge per conv + ReLU, and the sinks feeding the
 * stage's output, which is the next stage's input.
 */
public final class FadeDiagram {
    private FadeDiagram() {
    }

    public static String toDot(FadeNetwork n) {
        StringBuilder s = new StringBuilder("digraph fade {\n  rankdir=LR;\n  node [shape=box, style=filled, fontname=Helvetica];\n"
                + "  edge [fontname=Helvetica, fontsize=10];\n  input [label=\"input\", fillcolor=darkseagreen2];\n");
        String previous = "input";
        for (int st = 0; st < n.skeleton().size(); st++) {
            FadeStage stage = n.skeleton().stage(st);
            Dag d = n.cells().get(st);
            String p = "s" + st;
            s.append("  subgraph cluster_").append(p).append(" {\n    label=\"stage ").append(st).append(": C=")
                    .append(stage.channels()).append(stage.reduction() ? ", stride 2" : "").append(", ").append(d.code()).append("\";\n");
            s.append("    ").append(p).append("_in [label=\"entry\", fillcolor=darkseagreen2];\n");
            for (int v = 0; v < d.vertices(); v++) {
                s.append("    ").append(p).append("_v").append(v).append(" [label=\"").append(v).append("\", fillcolor=lightblue];\n");
            }
            s.append("    ").append(p).append("_out [label=\"sum\", fillcolor=palegoldenrod];\n");
            for (int v : d.sources()) {
                s.append("    ").append(p).append("_in -> ").append(p).append("_v").append(v).append(" [color=gray];\n");
            }
            for (int[] e : d.edges()) {
                s.append("    ").append(p).append("_v").append(e[0]).append(" -> ").append(p).append("_v").append(e[1])
                        .append(" [label=\"conv3x3\"];\n");
            }
            for (int v : d.sinks()) {
                s.append("    ").append(p).append("_v").append(v).append(" -> ").append(p).append("_out [color=gray];\n");
            }
            s.append("  }\n  ").append(previous).append(" -> ").append(p).append("_in;\n");
            previous = p + "_out";
        }
        return s.append("  ").append(previous).append(" -> head;\n  head [label=\"classifier\", fillcolor=palegoldenrod];\n}\n").toString();
    }
}
