package org.spidernet.graph.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an {@link Architecture} node by node, inferring each node's shape as it is added, so a
 * space's lowering states only ops and wiring. Single use: {@link #build} checks the whole graph.
 */
public final class ArchitectureBuilder {
    private final List<Node> nodes = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();
    private final List<AlphaGroup> alphas = new ArrayList<>();
    private final List<Head> heads = new ArrayList<>();

    /** Starts a network on images of the given size; the input is node 0. */
    public ArchitectureBuilder(int channels, int height, int width) {
        add("input", new NodeOp.Input(channels, height, width), -1);
    }

    /** Declares a gate; its index is what {@link NodeOp.GatedSum} and the gated op's nodes refer to. */
    public int gate(Gate g) {
        gates.add(g);
        return gates.size() - 1;
    }

    /** Declares a group of architecture weights; its index is what {@link NodeOp.WeightedSum} refers to. */
    public int alphas(AlphaGroup g) {
        alphas.add(g);
        return alphas.size() - 1;
    }

    /**
     * Adds a node reading the given earlier nodes; returns its id.
     *
     * @param gate the gate whose op the node belongs to, or -1
     */
    public int add(String name, NodeOp op, int gate, int... inputs) {
        List<Integer> in = new ArrayList<>(inputs.length);
        List<Shape> shapes = new ArrayList<>(inputs.length);
        for (int i : inputs) {
            if (i < 0 || i >= nodes.size()) {
                throw new IllegalArgumentException("node '" + name + "': input " + i + " does not exist yet");
            }
            in.add(i);
            shapes.add(nodes.get(i).shape());
        }
        Shape shape;
        try {
            shape = op.infer(shapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node '" + name + "': " + e.getMessage(), e);
        }
        nodes.add(new Node(nodes.size(), name, op, in, shape, gate));
        return nodes.size() - 1;
    }

    /** Marks a classifier node as a head with the given weight in the loss. */
    public void head(int node, double lossWeight) {
        heads.add(new Head(node, lossWeight));
    }

    public Shape shape(int node) {
        return nodes.get(node).shape();
    }

    public Architecture build() {
        return new Architecture(nodes, gates, alphas, heads);
    }
}
