package org.spidernet.exec;

import org.spidernet.graph.OpType;

/** One gated op of the compiled network: which cell, edge and op it belongs to. */
public record GateSpec(int index, int cell, int from, int to, OpType op) {

    /** Drop-path applies to every gated op except identity. */
    public boolean droppable() {
        return op != OpType.IDENTITY;
    }

    public String label() {
        return "cell" + cell + ":" + from + "->" + to + ":" + op.jsonName();
    }
}
