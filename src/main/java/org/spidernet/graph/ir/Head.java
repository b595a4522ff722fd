package org.spidernet.graph.ir;

/**
 * A classifier output of the network: the node that produces its logits and the head's weight
 * in the training loss (the sum over heads of weight x cross-entropy). The last head is the
 * network's prediction; earlier ones are auxiliary.
 */
public record Head(int node, double lossWeight) {

    public Head {
        if (!(lossWeight > 0) || Double.isInfinite(lossWeight)) {
            throw new IllegalArgumentException("head at node " + node + ": loss weight must be > 0, got " + lossWeight);
        }
    }
}
