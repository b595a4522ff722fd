package org.spidernet.exec;

import org.spidernet.graph.ir.Gate;

/** One gate of the compiled network: its index in the plan's gate vectors and the op it switches. */
public record GateSpec(int index, Gate gate) {

    public int cell() {
        return gate.cell();
    }

    public int from() {
        return gate.from();
    }

    public int to() {
        return gate.to();
    }

    /** The switched op's name in its space (for SpiderNet, a genome op name). */
    public String op() {
        return gate.op();
    }

    /** Whether drop-path may drop the op. */
    public boolean droppable() {
        return gate.droppable();
    }

    public String label() {
        return gate.label();
    }
}
