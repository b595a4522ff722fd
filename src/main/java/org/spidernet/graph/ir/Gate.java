package org.spidernet.graph.ir;

/**
 * One hard gate of a gated sum (SpiderNet's pruning gates, parameter group "gates"): the op it
 * switches, named by the cell, the edge's ends and the op's name. A closed gate's op still runs
 * forward (its gate needs the op's output for its gradient) but gets no gradient itself.
 *
 * @param droppable whether drop-path may drop the op (every op but identity)
 */
public record Gate(int cell, int from, int to, String op, boolean droppable) {

    public Gate {
        if (op == null || op.isEmpty()) {
            throw new IllegalArgumentException("gate " + cell + ":" + from + "->" + to + ": op name missing");
        }
    }

    /** "cellK:FROM->TO:OP", the gate's name in weights files, logs and the twin. */
    public String label() {
        return "cell" + cell + ":" + from + "->" + to + ":" + op;
    }
}
