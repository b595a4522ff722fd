package org.spidernet.graph.ir;

import java.util.List;

/**
 * One node of an {@link Architecture}: an op applied to the outputs of earlier nodes, with the
 * output shape inferred from theirs.
 *
 * @param id     the node's index in the architecture (inputs always have smaller ids)
 * @param name   unique; parameters and buffers are named after it
 * @param op     what the node computes
 * @param inputs ids of the nodes it reads, in the op's order
 * @param shape  the inferred per-sample output shape
 * @param gate   the gate of the gated op the node belongs to (its parameters are that op's), or -1
 */
public record Node(int id, String name, NodeOp op, List<Integer> inputs, Shape shape, int gate) {

    public Node {
        inputs = List.copyOf(inputs);
    }
}
